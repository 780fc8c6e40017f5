//! Entity property layouts: which bit announces each property, in the order the reader reads them,
//! for Vircadia (EntityData version 133 and earlier) and Overte (147 to 151). See docs/overte-payloads.md.

use super::fields as f;
use super::props::{ORow, Row, Wire};
use udpdissect_core::{FieldInfo, FieldKind as K};

macro_rules! props {
    ($($name:ident $key:literal $label:literal $kind:ident $desc:literal;)*) => {
        $(pub(crate) static $name: FieldInfo = FieldInfo::new($key, $label, K::$kind, $desc);)*
        /// Every property field not among the common ones of fields.rs.
        pub(crate) static ALL: &[&FieldInfo] = &[$(&$name),*];
    };
}

mod p {
    use super::*;
    props! {
        P_ACCELERATION "overte.entity.acceleration" "Acceleration" String "PROP_ACCELERATION (3 x f32 LE)";
        P_ACCELERATION_SPREAD "overte.entity.acceleration_spread" "Acceleration spread" String "PROP_ACCELERATION_SPREAD (3 x f32 LE)";
        P_ACTION_DATA "overte.entity.action_data" "Action data" Bytes "PROP_ACTION_DATA (u16 LE length + bytes)";
        P_ALPHA "overte.entity.alpha" "Alpha" Float "PROP_ALPHA (f32 LE)";
        P_ALPHA_FINISH "overte.entity.alpha_finish" "Alpha finish" Float "PROP_ALPHA_FINISH (f32 LE)";
        P_ALPHA_SPREAD "overte.entity.alpha_spread" "Alpha spread" Float "PROP_ALPHA_SPREAD (f32 LE)";
        P_ALPHA_START "overte.entity.alpha_start" "Alpha start" Float "PROP_ALPHA_START (f32 LE)";
        P_AMBIENT_LIGHT_COLOR "overte.entity.ambient_light_color" "Ambient light color" String "PROP_AMBIENT_LIGHT_COLOR (3 bytes r, g, b)";
        P_AMBIENT_LIGHT_INTENSITY "overte.entity.ambient_light_intensity" "Ambient light intensity" Float "PROP_AMBIENT_LIGHT_INTENSITY (f32 LE)";
        P_AMBIENT_LIGHT_MODE "overte.entity.ambient_light_mode" "Ambient light mode" Enum "PROP_AMBIENT_LIGHT_MODE (enumeration: u32 LE to version 144, u8 from 145)";
        P_AMBIENT_LIGHT_URL "overte.entity.ambient_light_url" "Ambient light URL" String "PROP_AMBIENT_LIGHT_URL (u16 LE length + UTF-8)";
        P_AMBIENT_OCCLUSION_AO_FALLOFF_ANGLE "overte.entity.ambient_occlusion_ao_falloff_angle" "Ambient occlusion AO falloff angle" Float "PROP_AMBIENT_OCCLUSION_AO_FALLOFF_ANGLE (f32 LE)";
        P_AMBIENT_OCCLUSION_AO_OBSCURANCE_LEVEL "overte.entity.ambient_occlusion_ao_obscurance_level" "Ambient occlusion AO obscurance level" Float "PROP_AMBIENT_OCCLUSION_AO_OBSCURANCE_LEVEL (f32 LE)";
        P_AMBIENT_OCCLUSION_AO_RADIUS "overte.entity.ambient_occlusion_ao_radius" "Ambient occlusion AO radius" Float "PROP_AMBIENT_OCCLUSION_AO_RADIUS (f32 LE)";
        P_AMBIENT_OCCLUSION_AO_SAMPLING_AMOUNT "overte.entity.ambient_occlusion_ao_sampling_amount" "Ambient occlusion AO sampling amount" Float "PROP_AMBIENT_OCCLUSION_AO_SAMPLING_AMOUNT (f32 LE)";
        P_AMBIENT_OCCLUSION_BLUR_RADIUS "overte.entity.ambient_occlusion_blur_radius" "Ambient occlusion blur radius" Unsigned "PROP_AMBIENT_OCCLUSION_BLUR_RADIUS (u8)";
        P_AMBIENT_OCCLUSION_EDGE_SHARPNESS "overte.entity.ambient_occlusion_edge_sharpness" "Ambient occlusion edge sharpness" Float "PROP_AMBIENT_OCCLUSION_EDGE_SHARPNESS (f32 LE)";
        P_AMBIENT_OCCLUSION_JITTER "overte.entity.ambient_occlusion_jitter" "Ambient occlusion jitter" Bool "PROP_AMBIENT_OCCLUSION_JITTER (u8)";
        P_AMBIENT_OCCLUSION_MODE "overte.entity.ambient_occlusion_mode" "Ambient occlusion mode" Enum "PROP_AMBIENT_OCCLUSION_MODE (u8 enum)";
        P_AMBIENT_OCCLUSION_RESOLUTION_LEVEL "overte.entity.ambient_occlusion_resolution_level" "Ambient occlusion resolution level" Unsigned "PROP_AMBIENT_OCCLUSION_RESOLUTION_LEVEL (u8)";
        P_AMBIENT_OCCLUSION_SSAO_NUM_SPIRAL_TURNS "overte.entity.ambient_occlusion_ssao_num_spiral_turns" "Ambient occlusion SSAO num spiral turns" Float "PROP_AMBIENT_OCCLUSION_SSAO_NUM_SPIRAL_TURNS (f32 LE)";
        P_AMBIENT_OCCLUSION_TECHNIQUE "overte.entity.ambient_occlusion_technique" "Ambient occlusion technique" Enum "PROP_AMBIENT_OCCLUSION_TECHNIQUE (u8 enum)";
        P_ANGULAR_DAMPING "overte.entity.angular_damping" "Angular damping" Float "PROP_ANGULAR_DAMPING (f32 LE)";
        P_ANGULAR_VELOCITY "overte.entity.angular_velocity" "Angular velocity" String "PROP_ANGULAR_VELOCITY (3 x f32 LE)";
        P_ANIMATION_ALLOW_TRANSLATION "overte.entity.animation_allow_translation" "Animation allow translation" Bool "PROP_ANIMATION_ALLOW_TRANSLATION (u8)";
        P_ANIMATION_FIRST_FRAME "overte.entity.animation_first_frame" "Animation first frame" Float "PROP_ANIMATION_FIRST_FRAME (f32 LE)";
        P_ANIMATION_FPS "overte.entity.animation_fps" "Animation FPS" Float "PROP_ANIMATION_FPS (f32 LE)";
        P_ANIMATION_FRAME_INDEX "overte.entity.animation_frame_index" "Animation frame index" Float "PROP_ANIMATION_FRAME_INDEX (f32 LE)";
        P_ANIMATION_HOLD "overte.entity.animation_hold" "Animation hold" Bool "PROP_ANIMATION_HOLD (u8)";
        P_ANIMATION_LAST_FRAME "overte.entity.animation_last_frame" "Animation last frame" Float "PROP_ANIMATION_LAST_FRAME (f32 LE)";
        P_ANIMATION_LOOP "overte.entity.animation_loop" "Animation loop" Bool "PROP_ANIMATION_LOOP (u8)";
        P_ANIMATION_PLAYING "overte.entity.animation_playing" "Animation playing" Bool "PROP_ANIMATION_PLAYING (u8)";
        P_ANIMATION_SMOOTH_FRAMES "overte.entity.animation_smooth_frames" "Animation smooth frames" Bool "PROP_ANIMATION_SMOOTH_FRAMES (u8)";
        P_ANIMATION_URL "overte.entity.animation_url" "Animation URL" String "PROP_ANIMATION_URL (u16 LE length + UTF-8)";
        P_AVATAR_PRIORITY "overte.entity.avatar_priority" "Avatar priority" Enum "PROP_AVATAR_PRIORITY (enumeration: u32 LE to version 144, u8 from 145)";
        P_AZIMUTH_FINISH "overte.entity.azimuth_finish" "Azimuth finish" Float "PROP_AZIMUTH_FINISH (f32 LE)";
        P_AZIMUTH_START "overte.entity.azimuth_start" "Azimuth start" Float "PROP_AZIMUTH_START (f32 LE)";
        P_BACKGROUND_ALPHA "overte.entity.background_alpha" "Background alpha" Float "PROP_BACKGROUND_ALPHA (f32 LE)";
        P_BACKGROUND_COLOR "overte.entity.background_color" "Background color" String "PROP_BACKGROUND_COLOR (3 bytes r, g, b)";
        P_BLENDSHAPE_COEFFICIENTS "overte.entity.blendshape_coefficients" "Blendshape coefficients" String "PROP_BLENDSHAPE_COEFFICIENTS (u16 LE length + UTF-8)";
        P_BLOOM_INTENSITY "overte.entity.bloom_intensity" "Bloom intensity" Float "PROP_BLOOM_INTENSITY (f32 LE)";
        P_BLOOM_MODE "overte.entity.bloom_mode" "Bloom mode" Enum "PROP_BLOOM_MODE (enumeration: u32 LE to version 144, u8 from 145)";
        P_BLOOM_SIZE "overte.entity.bloom_size" "Bloom size" Float "PROP_BLOOM_SIZE (f32 LE)";
        P_BLOOM_THRESHOLD "overte.entity.bloom_threshold" "Bloom threshold" Float "PROP_BLOOM_THRESHOLD (f32 LE)";
        P_BOTTOM_MARGIN "overte.entity.bottom_margin" "Bottom margin" Float "PROP_BOTTOM_MARGIN (f32 LE)";
        P_CERTIFICATE_ID "overte.entity.certificate_id" "Certificate ID" String "PROP_CERTIFICATE_ID (u16 LE length + UTF-8)";
        P_CERTIFICATE_TYPE "overte.entity.certificate_type" "Certificate type" String "PROP_CERTIFICATE_TYPE (u16 LE length + UTF-8)";
        P_CLONEABLE "overte.entity.cloneable" "Cloneable" Bool "PROP_CLONEABLE (u8)";
        P_CLONE_AVATAR_ENTITY "overte.entity.clone_avatar_entity" "Clone avatar entity" Bool "PROP_CLONE_AVATAR_ENTITY (u8)";
        P_CLONE_DYNAMIC "overte.entity.clone_dynamic" "Clone dynamic" Bool "PROP_CLONE_DYNAMIC (u8)";
        P_CLONE_LIFETIME "overte.entity.clone_lifetime" "Clone lifetime" Float "PROP_CLONE_LIFETIME (f32 LE)";
        P_CLONE_LIMIT "overte.entity.clone_limit" "Clone limit" Float "PROP_CLONE_LIMIT (f32 LE)";
        P_CLONE_ORIGIN_ID "overte.entity.clone_origin_id" "Clone origin ID" Uuid "PROP_CLONE_ORIGIN_ID (u16 LE length + RFC 4122 bytes)";
        P_COLLISIONLESS "overte.entity.collisionless" "Collisionless" Bool "PROP_COLLISIONLESS (u8)";
        P_COLLISION_MASK "overte.entity.collision_mask" "Collision mask" Unsigned "PROP_COLLISION_MASK (u16 LE)";
        P_COLLISION_SOUND_URL "overte.entity.collision_sound_url" "Collision sound URL" String "PROP_COLLISION_SOUND_URL (u16 LE length + UTF-8)";
        P_COLOR "overte.entity.color" "Color" String "PROP_COLOR (3 bytes r, g, b)";
        P_COLOR_FINISH "overte.entity.color_finish" "Color finish" String "PROP_COLOR_FINISH (3 x f32 LE)";
        P_COLOR_SPREAD "overte.entity.color_spread" "Color spread" String "PROP_COLOR_SPREAD (3 bytes r, g, b)";
        P_COLOR_START "overte.entity.color_start" "Color start" String "PROP_COLOR_START (3 x f32 LE)";
        P_COMPOUND_SHAPE_URL "overte.entity.compound_shape_url" "Compound shape URL" String "PROP_COMPOUND_SHAPE_URL (u16 LE length + UTF-8)";
        P_CUTOFF "overte.entity.cutoff" "Cutoff" Float "PROP_CUTOFF (f32 LE)";
        P_DAMPING "overte.entity.damping" "Damping" Float "PROP_DAMPING (f32 LE)";
        P_DENSITY "overte.entity.density" "Density" Float "PROP_DENSITY (f32 LE)";
        P_DPI "overte.entity.dpi" "DPI" Unsigned "PROP_DPI (u16 LE)";
        P_DYNAMIC "overte.entity.dynamic" "Dynamic" Bool "PROP_DYNAMIC (u8)";
        P_EDITION_NUMBER "overte.entity.edition_number" "Edition number" Unsigned "PROP_EDITION_NUMBER (u32 LE)";
        P_EMISSIVE "overte.entity.emissive" "Emissive" Bool "PROP_EMISSIVE (u8)";
        P_EMITTER_SHOULD_TRAIL "overte.entity.emitter_should_trail" "Emitter should trail" Bool "PROP_EMITTER_SHOULD_TRAIL (u8)";
        P_EMITTING_PARTICLES "overte.entity.emitting_particles" "Emitting particles" Bool "PROP_EMITTING_PARTICLES (u8)";
        P_EMIT_ACCELERATION "overte.entity.emit_acceleration" "Emit acceleration" String "PROP_EMIT_ACCELERATION (3 x f32 LE)";
        P_EMIT_DIMENSIONS "overte.entity.emit_dimensions" "Emit dimensions" String "PROP_EMIT_DIMENSIONS (3 x f32 LE)";
        P_EMIT_ORIENTATION "overte.entity.emit_orientation" "Emit orientation" String "PROP_EMIT_ORIENTATION (4 x u16 LE packed x, y, z, w)";
        P_EMIT_RADIUS_START "overte.entity.emit_radius_start" "Emit radius start" Float "PROP_EMIT_RADIUS_START (f32 LE)";
        P_EMIT_RATE "overte.entity.emit_rate" "Emit rate" Float "PROP_EMIT_RATE (f32 LE)";
        P_EMIT_SPEED "overte.entity.emit_speed" "Emit speed" Float "PROP_EMIT_SPEED (f32 LE)";
        P_END_ANGLE "overte.entity.end_angle" "End angle" Float "PROP_END_ANGLE (f32 LE)";
        P_ENTITY_INSTANCE_NUMBER "overte.entity.entity_instance_number" "Entity instance number" Unsigned "PROP_ENTITY_INSTANCE_NUMBER (u32 LE)";
        P_EXPONENT "overte.entity.exponent" "Exponent" Float "PROP_EXPONENT (f32 LE)";
        P_FALLOFF_RADIUS "overte.entity.falloff_radius" "Falloff radius" Float "PROP_FALLOFF_RADIUS (f32 LE)";
        P_FILTER_URL "overte.entity.filter_url" "Filter URL" String "PROP_FILTER_URL (u16 LE length + UTF-8)";
        P_FLYING_ALLOWED "overte.entity.flying_allowed" "Flying allowed" Bool "PROP_FLYING_ALLOWED (u8)";
        P_FONT "overte.entity.font" "Font" String "PROP_FONT (u16 LE length + UTF-8)";
        P_FRICTION "overte.entity.friction" "Friction" Float "PROP_FRICTION (f32 LE)";
        P_GHOSTING_ALLOWED "overte.entity.ghosting_allowed" "Ghosting allowed" Bool "PROP_GHOSTING_ALLOWED (u8)";
        P_GIZMO_TYPE "overte.entity.gizmo_type" "Gizmo type" Enum "PROP_GIZMO_TYPE (enumeration: u32 LE to version 144, u8 from 145)";
        P_GRAB_DELEGATE_TO_PARENT "overte.entity.grab_delegate_to_parent" "Grab delegate to parent" Bool "PROP_GRAB_DELEGATE_TO_PARENT (u8)";
        P_GRAB_EQUIPPABLE "overte.entity.grab_equippable" "Grab equippable" Bool "PROP_GRAB_EQUIPPABLE (u8)";
        P_GRAB_EQUIPPABLE_INDICATOR_OFFSET "overte.entity.grab_equippable_indicator_offset" "Grab equippable indicator offset" String "PROP_GRAB_EQUIPPABLE_INDICATOR_OFFSET (3 x f32 LE)";
        P_GRAB_EQUIPPABLE_INDICATOR_SCALE "overte.entity.grab_equippable_indicator_scale" "Grab equippable indicator scale" String "PROP_GRAB_EQUIPPABLE_INDICATOR_SCALE (3 x f32 LE)";
        P_GRAB_EQUIPPABLE_INDICATOR_URL "overte.entity.grab_equippable_indicator_url" "Grab equippable indicator URL" String "PROP_GRAB_EQUIPPABLE_INDICATOR_URL (u16 LE length + UTF-8)";
        P_GRAB_FOLLOWS_CONTROLLER "overte.entity.grab_follows_controller" "Grab follows controller" Bool "PROP_GRAB_FOLLOWS_CONTROLLER (u8)";
        P_GRAB_GRABBABLE "overte.entity.grab_grabbable" "Grab grabbable" Bool "PROP_GRAB_GRABBABLE (u8)";
        P_GRAB_KINEMATIC "overte.entity.grab_kinematic" "Grab kinematic" Bool "PROP_GRAB_KINEMATIC (u8)";
        P_GRAB_LEFT_EQUIPPABLE_POSITION_OFFSET "overte.entity.grab_left_equippable_position_offset" "Grab left equippable position offset" String "PROP_GRAB_LEFT_EQUIPPABLE_POSITION_OFFSET (3 x f32 LE)";
        P_GRAB_LEFT_EQUIPPABLE_ROTATION_OFFSET "overte.entity.grab_left_equippable_rotation_offset" "Grab left equippable rotation offset" String "PROP_GRAB_LEFT_EQUIPPABLE_ROTATION_OFFSET (4 x u16 LE packed x, y, z, w)";
        P_GRAB_RIGHT_EQUIPPABLE_POSITION_OFFSET "overte.entity.grab_right_equippable_position_offset" "Grab right equippable position offset" String "PROP_GRAB_RIGHT_EQUIPPABLE_POSITION_OFFSET (3 x f32 LE)";
        P_GRAB_RIGHT_EQUIPPABLE_ROTATION_OFFSET "overte.entity.grab_right_equippable_rotation_offset" "Grab right equippable rotation offset" String "PROP_GRAB_RIGHT_EQUIPPABLE_ROTATION_OFFSET (4 x u16 LE packed x, y, z, w)";
        P_GRAB_TRIGGERABLE "overte.entity.grab_triggerable" "Grab triggerable" Bool "PROP_GRAB_TRIGGERABLE (u8)";
        P_GRAVITY "overte.entity.gravity" "Gravity" String "PROP_GRAVITY (3 x f32 LE)";
        P_GRID_FOLLOW_CAMERA "overte.entity.grid_follow_camera" "Grid follow camera" Bool "PROP_GRID_FOLLOW_CAMERA (u8)";
        P_GROUP_CULLED "overte.entity.group_culled" "Group culled" Bool "PROP_GROUP_CULLED (u8)";
        P_HAS_TICK_MARKS "overte.entity.has_tick_marks" "Has tick marks" Bool "PROP_HAS_TICK_MARKS (u8)";
        P_HAZE_ALTITUDE_EFFECT "overte.entity.haze_altitude_effect" "Haze altitude effect" Bool "PROP_HAZE_ALTITUDE_EFFECT (u8)";
        P_HAZE_ATTENUATE_KEYLIGHT "overte.entity.haze_attenuate_keylight" "Haze attenuate keylight" Bool "PROP_HAZE_ATTENUATE_KEYLIGHT (u8)";
        P_HAZE_BACKGROUND_BLEND "overte.entity.haze_background_blend" "Haze background blend" Float "PROP_HAZE_BACKGROUND_BLEND (f32 LE)";
        P_HAZE_BASE_REF "overte.entity.haze_base_ref" "Haze base ref" Float "PROP_HAZE_BASE_REF (f32 LE)";
        P_HAZE_CEILING "overte.entity.haze_ceiling" "Haze ceiling" Float "PROP_HAZE_CEILING (f32 LE)";
        P_HAZE_COLOR "overte.entity.haze_color" "Haze color" String "PROP_HAZE_COLOR (3 bytes r, g, b)";
        P_HAZE_ENABLE_GLARE "overte.entity.haze_enable_glare" "Haze enable glare" Bool "PROP_HAZE_ENABLE_GLARE (u8)";
        P_HAZE_GLARE_ANGLE "overte.entity.haze_glare_angle" "Haze glare angle" Float "PROP_HAZE_GLARE_ANGLE (f32 LE)";
        P_HAZE_GLARE_COLOR "overte.entity.haze_glare_color" "Haze glare color" String "PROP_HAZE_GLARE_COLOR (3 bytes r, g, b)";
        P_HAZE_KEYLIGHT_ALTITUDE "overte.entity.haze_keylight_altitude" "Haze keylight altitude" Float "PROP_HAZE_KEYLIGHT_ALTITUDE (f32 LE)";
        P_HAZE_KEYLIGHT_RANGE "overte.entity.haze_keylight_range" "Haze keylight range" Float "PROP_HAZE_KEYLIGHT_RANGE (f32 LE)";
        P_HAZE_MODE "overte.entity.haze_mode" "Haze mode" Enum "PROP_HAZE_MODE (enumeration: u32 LE to version 144, u8 from 145)";
        P_HAZE_RANGE "overte.entity.haze_range" "Haze range" Float "PROP_HAZE_RANGE (f32 LE)";
        P_IMAGE_URL "overte.entity.image_url" "Image URL" String "PROP_IMAGE_URL (u16 LE length + UTF-8)";
        P_INNER_END_ALPHA "overte.entity.inner_end_alpha" "Inner end alpha" Float "PROP_INNER_END_ALPHA (f32 LE)";
        P_INNER_END_COLOR "overte.entity.inner_end_color" "Inner end color" String "PROP_INNER_END_COLOR (3 bytes r, g, b)";
        P_INNER_RADIUS "overte.entity.inner_radius" "Inner radius" Float "PROP_INNER_RADIUS (f32 LE)";
        P_INNER_START_ALPHA "overte.entity.inner_start_alpha" "Inner start alpha" Float "PROP_INNER_START_ALPHA (f32 LE)";
        P_INNER_START_COLOR "overte.entity.inner_start_color" "Inner start color" String "PROP_INNER_START_COLOR (3 bytes r, g, b)";
        P_INPUT_MODE "overte.entity.input_mode" "Input mode" Enum "PROP_INPUT_MODE (enumeration: u32 LE to version 144, u8 from 145)";
        P_INTENSITY "overte.entity.intensity" "Intensity" Float "PROP_INTENSITY (f32 LE)";
        P_IS_SPOTLIGHT "overte.entity.is_spotlight" "Is spotlight" Bool "PROP_IS_SPOTLIGHT (u8)";
        P_IS_UV_MODE_STRETCH "overte.entity.is_uv_mode_stretch" "Is uv mode stretch" Bool "PROP_IS_UV_MODE_STRETCH (u8)";
        P_ITEM_ARTIST "overte.entity.item_artist" "Item artist" String "PROP_ITEM_ARTIST (u16 LE length + UTF-8)";
        P_ITEM_CATEGORIES "overte.entity.item_categories" "Item categories" String "PROP_ITEM_CATEGORIES (u16 LE length + UTF-8)";
        P_ITEM_DESCRIPTION "overte.entity.item_description" "Item description" String "PROP_ITEM_DESCRIPTION (u16 LE length + UTF-8)";
        P_ITEM_LICENSE "overte.entity.item_license" "Item license" String "PROP_ITEM_LICENSE (u16 LE length + UTF-8)";
        P_ITEM_NAME "overte.entity.item_name" "Item name" String "PROP_ITEM_NAME (u16 LE length + UTF-8)";
        P_JOINT_ROTATIONS "overte.entity.joint_rotations" "Joint rotations" String "PROP_JOINT_ROTATIONS (u16 LE count + packed quats)";
        P_JOINT_ROTATIONS_SET "overte.entity.joint_rotations_set" "Joint rotations set" String "PROP_JOINT_ROTATIONS_SET (u16 LE count + bits, LSB first)";
        P_JOINT_TRANSLATIONS "overte.entity.joint_translations" "Joint translations" String "PROP_JOINT_TRANSLATIONS (u16 LE count + 3 x f32 LE each)";
        P_JOINT_TRANSLATIONS_SET "overte.entity.joint_translations_set" "Joint translations set" String "PROP_JOINT_TRANSLATIONS_SET (u16 LE count + bits, LSB first)";
        P_KEEP_ASPECT_RATIO "overte.entity.keep_aspect_ratio" "Keep aspect ratio" Bool "PROP_KEEP_ASPECT_RATIO (u8)";
        P_KEYLIGHT_CAST_SHADOW "overte.entity.keylight_cast_shadow" "Keylight cast shadow" Bool "PROP_KEYLIGHT_CAST_SHADOW (u8)";
        P_KEYLIGHT_COLOR "overte.entity.keylight_color" "Keylight color" String "PROP_KEYLIGHT_COLOR (3 bytes r, g, b)";
        P_KEYLIGHT_DIRECTION "overte.entity.keylight_direction" "Keylight direction" String "PROP_KEYLIGHT_DIRECTION (3 x f32 LE)";
        P_KEYLIGHT_INTENSITY "overte.entity.keylight_intensity" "Keylight intensity" Float "PROP_KEYLIGHT_INTENSITY (f32 LE)";
        P_KEYLIGHT_SHADOW_BIAS "overte.entity.keylight_shadow_bias" "Keylight shadow bias" Float "PROP_KEYLIGHT_SHADOW_BIAS (f32 LE)";
        P_KEYLIGHT_SHADOW_MAX_DISTANCE "overte.entity.keylight_shadow_max_distance" "Keylight shadow max distance" Float "PROP_KEYLIGHT_SHADOW_MAX_DISTANCE (f32 LE)";
        P_KEY_LIGHT_MODE "overte.entity.key_light_mode" "Key light mode" Enum "PROP_KEY_LIGHT_MODE (enumeration: u32 LE to version 144, u8 from 145)";
        P_LEFT_MARGIN "overte.entity.left_margin" "Left margin" Float "PROP_LEFT_MARGIN (f32 LE)";
        P_LIFESPAN "overte.entity.lifespan" "Lifespan" Float "PROP_LIFESPAN (f32 LE)";
        P_LIFETIME "overte.entity.lifetime" "Lifetime" Float "PROP_LIFETIME (f32 LE)";
        P_LIMITED_RUN "overte.entity.limited_run" "Limited run" Unsigned "PROP_LIMITED_RUN (u32 LE)";
        P_LINE_FACE_CAMERA "overte.entity.line_face_camera" "Line face camera" Bool "PROP_LINE_FACE_CAMERA (u8)";
        P_LINE_GLOW "overte.entity.line_glow" "Line glow" Bool "PROP_LINE_GLOW (u8)";
        P_LINE_HEIGHT "overte.entity.line_height" "Line height" Float "PROP_LINE_HEIGHT (f32 LE)";
        P_LINE_POINTS "overte.entity.line_points" "Line points" String "PROP_LINE_POINTS (u16 LE count + 3 x f32 LE each)";
        P_LISTENER_ATTENUATION_COEFFICIENTS "overte.entity.listener_attenuation_coefficients" "Listener attenuation coefficients" String "PROP_LISTENER_ATTENUATION_COEFFICIENTS (u16 LE count + f32 LE each)";
        P_LISTENER_ZONES "overte.entity.listener_zones" "Listener zones" Unsigned "PROP_LISTENER_ZONES (u16 LE count of raw QUuids)";
        P_LOAD_PRIORITY "overte.entity.load_priority" "Load priority" Float "PROP_LOAD_PRIORITY (f32 LE)";
        P_MAJOR_GRID_EVERY "overte.entity.major_grid_every" "Major grid every" Unsigned "PROP_MAJOR_GRID_EVERY (u32 LE)";
        P_MAJOR_TICK_MARKS_ANGLE "overte.entity.major_tick_marks_angle" "Major tick marks angle" Float "PROP_MAJOR_TICK_MARKS_ANGLE (f32 LE)";
        P_MAJOR_TICK_MARKS_COLOR "overte.entity.major_tick_marks_color" "Major tick marks color" String "PROP_MAJOR_TICK_MARKS_COLOR (3 bytes r, g, b)";
        P_MAJOR_TICK_MARKS_LENGTH "overte.entity.major_tick_marks_length" "Major tick marks length" Float "PROP_MAJOR_TICK_MARKS_LENGTH (f32 LE)";
        P_MARKETPLACE_ID "overte.entity.marketplace_id" "Marketplace ID" String "PROP_MARKETPLACE_ID (u16 LE length + UTF-8)";
        P_MATERIAL_DATA "overte.entity.material_data" "Material data" String "PROP_MATERIAL_DATA (u16 LE length + UTF-8)";
        P_MATERIAL_MAPPING_MODE "overte.entity.material_mapping_mode" "Material mapping mode" Enum "PROP_MATERIAL_MAPPING_MODE (enumeration: u32 LE to version 144, u8 from 145)";
        P_MATERIAL_MAPPING_POS "overte.entity.material_mapping_pos" "Material mapping pos" String "PROP_MATERIAL_MAPPING_POS (2 x f32 LE)";
        P_MATERIAL_MAPPING_ROT "overte.entity.material_mapping_rot" "Material mapping rot" Float "PROP_MATERIAL_MAPPING_ROT (f32 LE)";
        P_MATERIAL_MAPPING_SCALE "overte.entity.material_mapping_scale" "Material mapping scale" String "PROP_MATERIAL_MAPPING_SCALE (2 x f32 LE)";
        P_MATERIAL_PRIORITY "overte.entity.material_priority" "Material priority" Unsigned "PROP_MATERIAL_PRIORITY (u16 LE)";
        P_MATERIAL_REPEAT "overte.entity.material_repeat" "Material repeat" Bool "PROP_MATERIAL_REPEAT (u8)";
        P_MATERIAL_URL "overte.entity.material_url" "Material URL" String "PROP_MATERIAL_URL (u16 LE length + UTF-8)";
        P_MAX_FPS "overte.entity.max_fps" "Max FPS" Unsigned "PROP_MAX_FPS (u8)";
        P_MAX_PARTICLES "overte.entity.max_particles" "Max particles" Unsigned "PROP_MAX_PARTICLES (u32 LE)";
        P_MINOR_GRID_EVERY "overte.entity.minor_grid_every" "Minor grid every" Float "PROP_MINOR_GRID_EVERY (f32 LE)";
        P_MINOR_TICK_MARKS_ANGLE "overte.entity.minor_tick_marks_angle" "Minor tick marks angle" Float "PROP_MINOR_TICK_MARKS_ANGLE (f32 LE)";
        P_MINOR_TICK_MARKS_COLOR "overte.entity.minor_tick_marks_color" "Minor tick marks color" String "PROP_MINOR_TICK_MARKS_COLOR (3 bytes r, g, b)";
        P_MINOR_TICK_MARKS_LENGTH "overte.entity.minor_tick_marks_length" "Minor tick marks length" Float "PROP_MINOR_TICK_MARKS_LENGTH (f32 LE)";
        P_MIRROR_MODE "overte.entity.mirror_mode" "Mirror mode" Enum "PROP_MIRROR_MODE (u8 enum)";
        P_MODEL_SCALE "overte.entity.model_scale" "Model scale" String "PROP_MODEL_SCALE (3 x f32 LE)";
        P_MODEL_URL "overte.entity.model_url" "Model URL" String "PROP_MODEL_URL (u16 LE length + UTF-8)";
        P_NORMAL_MAP_ATTENUATION_MAX "overte.entity.normal_map_attenuation_max" "Normal map attenuation max" Float "PROP_NORMAL_MAP_ATTENUATION_MAX (f32 LE)";
        P_NORMAL_MAP_ATTENUATION_MIN "overte.entity.normal_map_attenuation_min" "Normal map attenuation min" Float "PROP_NORMAL_MAP_ATTENUATION_MIN (f32 LE)";
        P_NORMAL_MAP_ATTENUATION_MODE "overte.entity.normal_map_attenuation_mode" "Normal map attenuation mode" Enum "PROP_NORMAL_MAP_ATTENUATION_MODE (u8 enum)";
        P_OUTER_END_ALPHA "overte.entity.outer_end_alpha" "Outer end alpha" Float "PROP_OUTER_END_ALPHA (f32 LE)";
        P_OUTER_END_COLOR "overte.entity.outer_end_color" "Outer end color" String "PROP_OUTER_END_COLOR (3 bytes r, g, b)";
        P_OUTER_START_ALPHA "overte.entity.outer_start_alpha" "Outer start alpha" Float "PROP_OUTER_START_ALPHA (f32 LE)";
        P_OUTER_START_COLOR "overte.entity.outer_start_color" "Outer start color" String "PROP_OUTER_START_COLOR (3 bytes r, g, b)";
        P_PARENT_MATERIAL_NAME "overte.entity.parent_material_name" "Parent material name" String "PROP_PARENT_MATERIAL_NAME (u16 LE length + UTF-8)";
        P_PARTICLE_RADIUS "overte.entity.particle_radius" "Particle radius" Float "PROP_PARTICLE_RADIUS (f32 LE)";
        P_PARTICLE_ROTATE_WITH_ENTITY "overte.entity.particle_rotate_with_entity" "Particle rotate with entity" Bool "PROP_PARTICLE_ROTATE_WITH_ENTITY (u8)";
        P_PARTICLE_SPIN "overte.entity.particle_spin" "Particle spin" Float "PROP_PARTICLE_SPIN (f32 LE)";
        P_POLAR_FINISH "overte.entity.polar_finish" "Polar finish" Float "PROP_POLAR_FINISH (f32 LE)";
        P_POLAR_START "overte.entity.polar_start" "Polar start" Float "PROP_POLAR_START (f32 LE)";
        P_PORTAL_EXIT_ID "overte.entity.portal_exit_id" "Portal exit ID" Uuid "PROP_PORTAL_EXIT_ID (u16 LE length + RFC 4122 bytes)";
        P_PROCEDURAL_PARTCILE_RENDER_DATA "overte.entity.procedural_partcile_render_data" "Procedural partcile render data" String "PROP_PROCEDURAL_PARTCILE_RENDER_DATA (u16 LE length + UTF-8)";
        P_PROCEDURAL_PARTCILE_UPDATE_DATA "overte.entity.procedural_partcile_update_data" "Procedural partcile update data" String "PROP_PROCEDURAL_PARTCILE_UPDATE_DATA (u16 LE length + UTF-8)";
        P_PROCEDURAL_PARTICLE_NUM_PARTICLES "overte.entity.procedural_particle_num_particles" "Procedural particle num particles" Unsigned "PROP_PROCEDURAL_PARTICLE_NUM_PARTICLES (u32 LE)";
        P_PROCEDURAL_PARTICLE_NUM_TRIS_PER "overte.entity.procedural_particle_num_tris_per" "Procedural particle num tris per" Unsigned "PROP_PROCEDURAL_PARTICLE_NUM_TRIS_PER (u8)";
        P_PROCEDURAL_PARTICLE_NUM_UPDATE_PROPS "overte.entity.procedural_particle_num_update_props" "Procedural particle num update props" Unsigned "PROP_PROCEDURAL_PARTICLE_NUM_UPDATE_PROPS (u8)";
        P_PROCEDURAL_PARTICLE_TRANSPARENT "overte.entity.procedural_particle_transparent" "Procedural particle transparent" Bool "PROP_PROCEDURAL_PARTICLE_TRANSPARENT (u8)";
        P_PULSE_ALPHA_MODE "overte.entity.pulse_alpha_mode" "Pulse alpha mode" Enum "PROP_PULSE_ALPHA_MODE (enumeration: u32 LE to version 144, u8 from 145)";
        P_PULSE_COLOR_MODE "overte.entity.pulse_color_mode" "Pulse color mode" Enum "PROP_PULSE_COLOR_MODE (enumeration: u32 LE to version 144, u8 from 145)";
        P_PULSE_MAX "overte.entity.pulse_max" "Pulse max" Float "PROP_PULSE_MAX (f32 LE)";
        P_PULSE_MIN "overte.entity.pulse_min" "Pulse min" Float "PROP_PULSE_MIN (f32 LE)";
        P_PULSE_PERIOD "overte.entity.pulse_period" "Pulse period" Float "PROP_PULSE_PERIOD (f32 LE)";
        P_RADIUS_FINISH "overte.entity.radius_finish" "Radius finish" Float "PROP_RADIUS_FINISH (f32 LE)";
        P_RADIUS_SPREAD "overte.entity.radius_spread" "Radius spread" Float "PROP_RADIUS_SPREAD (f32 LE)";
        P_RADIUS_START "overte.entity.radius_start" "Radius start" Float "PROP_RADIUS_START (f32 LE)";
        P_RELAY_PARENT_JOINTS "overte.entity.relay_parent_joints" "Relay parent joints" Bool "PROP_RELAY_PARENT_JOINTS (u8)";
        P_RESTITUTION "overte.entity.restitution" "Restitution" Float "PROP_RESTITUTION (f32 LE)";
        P_REVERB_ENABLED "overte.entity.reverb_enabled" "Reverb enabled" Bool "PROP_REVERB_ENABLED (u8)";
        P_REVERB_TIME "overte.entity.reverb_time" "Reverb time" Float "PROP_REVERB_TIME (f32 LE)";
        P_REVERB_WET_LEVEL "overte.entity.reverb_wet_level" "Reverb wet level" Float "PROP_REVERB_WET_LEVEL (f32 LE)";
        P_RIGHT_MARGIN "overte.entity.right_margin" "Right margin" Float "PROP_RIGHT_MARGIN (f32 LE)";
        P_SCREENSHARE "overte.entity.screenshare" "Screenshare" Enum "PROP_SCREENSHARE (u32 LE)";
        P_SCRIPT "overte.entity.script" "Script" String "PROP_SCRIPT (u16 LE length + UTF-8)";
        P_SCRIPT_ENABLED "overte.entity.script_enabled" "Script enabled" Bool "PROP_SCRIPT_ENABLED (u8)";
        P_SCRIPT_TIMESTAMP "overte.entity.script_timestamp" "Script timestamp" Unsigned "PROP_SCRIPT_TIMESTAMP (u64 LE)";
        P_SCRIPT_URL "overte.entity.script_url" "Script URL" String "PROP_SCRIPT_URL (u16 LE length + UTF-8)";
        P_SERVER_SCRIPTS "overte.entity.server_scripts" "Server scripts" String "PROP_SERVER_SCRIPTS (u16 LE length + UTF-8)";
        P_SHAPE "overte.entity.shape" "Shape" Enum "PROP_SHAPE (u8 enum)";
        P_SHAPE_INNER_RADIUS "overte.entity.shape_inner_radius" "Shape inner radius" Float "PROP_SHAPE_INNER_RADIUS (f32 LE)";
        P_SHAPE_NAME "overte.entity.shape_name" "Shape name" String "PROP_SHAPE (u16 LE length + UTF-8)";
        P_SHAPE_TYPE "overte.entity.shape_type" "Shape type" Enum "PROP_SHAPE_TYPE (enumeration: u32 LE to version 144, u8 from 145)";
        P_SHOW_KEYBOARD_FOCUS_HIGHLIGHT "overte.entity.show_keyboard_focus_highlight" "Show keyboard focus highlight" Bool "PROP_SHOW_KEYBOARD_FOCUS_HIGHLIGHT (u8)";
        P_SKYBOX_COLOR "overte.entity.skybox_color" "Skybox color" String "PROP_SKYBOX_COLOR (3 bytes r, g, b)";
        P_SKYBOX_MODE "overte.entity.skybox_mode" "Skybox mode" Enum "PROP_SKYBOX_MODE (enumeration: u32 LE to version 144, u8 from 145)";
        P_SKYBOX_URL "overte.entity.skybox_url" "Skybox URL" String "PROP_SKYBOX_URL (u16 LE length + UTF-8)";
        P_SOUND_LOCAL_ONLY "overte.entity.sound_local_only" "Sound local only" Bool "PROP_SOUND_LOCAL_ONLY (u8)";
        P_SOUND_LOOP "overte.entity.sound_loop" "Sound loop" Bool "PROP_SOUND_LOOP (u8)";
        P_SOUND_PITCH "overte.entity.sound_pitch" "Sound pitch" Float "PROP_SOUND_PITCH (f32 LE)";
        P_SOUND_PLAYING "overte.entity.sound_playing" "Sound playing" Bool "PROP_SOUND_PLAYING (u8)";
        P_SOUND_POSITIONAL "overte.entity.sound_positional" "Sound positional" Bool "PROP_SOUND_POSITIONAL (u8)";
        P_SOUND_TIME_OFFSET "overte.entity.sound_time_offset" "Sound time offset" Float "PROP_SOUND_TIME_OFFSET (f32 LE)";
        P_SOUND_URL "overte.entity.sound_url" "Sound URL" String "PROP_SOUND_URL (u16 LE length + UTF-8)";
        P_SOUND_VOLUME "overte.entity.sound_volume" "Sound volume" Float "PROP_SOUND_VOLUME (f32 LE)";
        P_SOURCE_URL "overte.entity.source_url" "Source URL" String "PROP_SOURCE_URL (u16 LE length + UTF-8)";
        P_SPEED_SPREAD "overte.entity.speed_spread" "Speed spread" Float "PROP_SPEED_SPREAD (f32 LE)";
        P_SPIN_FINISH "overte.entity.spin_finish" "Spin finish" Float "PROP_SPIN_FINISH (f32 LE)";
        P_SPIN_SPREAD "overte.entity.spin_spread" "Spin spread" Float "PROP_SPIN_SPREAD (f32 LE)";
        P_SPIN_START "overte.entity.spin_start" "Spin start" Float "PROP_SPIN_START (f32 LE)";
        P_START_ANGLE "overte.entity.start_angle" "Start angle" Float "PROP_START_ANGLE (f32 LE)";
        P_STATIC_CERTIFICATE_VERSION "overte.entity.static_certificate_version" "Static certificate version" Unsigned "PROP_STATIC_CERTIFICATE_VERSION (u32 LE)";
        P_STROKE_COLORS "overte.entity.stroke_colors" "Stroke colors" String "PROP_STROKE_COLORS (u16 LE count + 3 x f32 LE each)";
        P_STROKE_NORMALS "overte.entity.stroke_normals" "Stroke normals" String "PROP_STROKE_NORMALS (u16 LE count + 3 x f32 LE each)";
        P_STROKE_WIDTHS "overte.entity.stroke_widths" "Stroke widths" String "PROP_STROKE_WIDTHS (u16 LE count + f32 LE each)";
        P_SUB_IMAGE "overte.entity.sub_image" "Sub image" String "PROP_SUB_IMAGE (4 x 32-bit LE)";
        P_TAGS "overte.entity.tags" "Tags" String "PROP_TAGS (u16 LE count + u16 LE length + UTF-8 each)";
        P_TEXT "overte.entity.text" "Text" String "PROP_TEXT (u16 LE length + UTF-8)";
        P_TEXTURES "overte.entity.textures" "Textures" String "PROP_TEXTURES (u16 LE length + UTF-8)";
        P_TEXT_ALIGNMENT "overte.entity.text_alignment" "Text alignment" Enum "PROP_TEXT_ALIGNMENT (enumeration: u32 LE to version 144, u8 from 145)";
        P_TEXT_ALPHA "overte.entity.text_alpha" "Text alpha" Float "PROP_TEXT_ALPHA (f32 LE)";
        P_TEXT_COLOR "overte.entity.text_color" "Text color" String "PROP_TEXT_COLOR (3 bytes r, g, b)";
        P_TEXT_EFFECT "overte.entity.text_effect" "Text effect" Enum "PROP_TEXT_EFFECT (enumeration: u32 LE to version 144, u8 from 145)";
        P_TEXT_EFFECT_COLOR "overte.entity.text_effect_color" "Text effect color" String "PROP_TEXT_EFFECT_COLOR (3 bytes r, g, b)";
        P_TEXT_EFFECT_THICKNESS "overte.entity.text_effect_thickness" "Text effect thickness" Float "PROP_TEXT_EFFECT_THICKNESS (f32 LE)";
        P_TEXT_VERTICAL_ALIGNMENT "overte.entity.text_vertical_alignment" "Text vertical alignment" Enum "PROP_TEXT_VERTICAL_ALIGNMENT (u8 enum)";
        P_TONEMAPPING_CURVE "overte.entity.tonemapping_curve" "Tonemapping curve" Enum "PROP_TONEMAPPING_CURVE (u8 enum)";
        P_TONEMAPPING_EXPOSURE "overte.entity.tonemapping_exposure" "Tonemapping exposure" Float "PROP_TONEMAPPING_EXPOSURE (f32 LE)";
        P_TONEMAPPING_MODE "overte.entity.tonemapping_mode" "Tonemapping mode" Enum "PROP_TONEMAPPING_MODE (u8 enum)";
        P_TOP_MARGIN "overte.entity.top_margin" "Top margin" Float "PROP_TOP_MARGIN (f32 LE)";
        P_UNLIT "overte.entity.unlit" "Unlit" Bool "PROP_UNLIT (u8)";
        P_USER_AGENT "overte.entity.user_agent" "User agent" String "PROP_USER_AGENT (u16 LE length + UTF-8)";
        P_USE_ORIGINAL_PIVOT "overte.entity.use_original_pivot" "Use original pivot" Bool "PROP_USE_ORIGINAL_PIVOT (u8)";
        P_VELOCITY "overte.entity.velocity" "Velocity" String "PROP_VELOCITY (3 x f32 LE)";
        P_VOXEL_DATA "overte.entity.voxel_data" "Voxel data" Bytes "PROP_VOXEL_DATA (u16 LE length + bytes)";
        P_VOXEL_SURFACE_STYLE "overte.entity.voxel_surface_style" "Voxel surface style" Unsigned "PROP_VOXEL_SURFACE_STYLE (u16 LE)";
        P_VOXEL_VOLUME_SIZE "overte.entity.voxel_volume_size" "Voxel volume size" String "PROP_VOXEL_VOLUME_SIZE (3 x f32 LE)";
        P_WANTS_KEYBOARD_FOCUS "overte.entity.wants_keyboard_focus" "Wants keyboard focus" Bool "PROP_WANTS_KEYBOARD_FOCUS (u8)";
        P_WEB_USE_BACKGROUND "overte.entity.web_use_background" "Web use background" Bool "PROP_WEB_USE_BACKGROUND (u8)";
        P_X_N_NEIGHBOR_ID "overte.entity.x_n_neighbor_id" "X n neighbor ID" Uuid "PROP_X_N_NEIGHBOR_ID (u16 LE length + RFC 4122 bytes)";
        P_X_P_NEIGHBOR_ID "overte.entity.x_p_neighbor_id" "X p neighbor ID" Uuid "PROP_X_P_NEIGHBOR_ID (u16 LE length + RFC 4122 bytes)";
        P_X_TEXTURE_URL "overte.entity.x_texture_url" "X texture URL" String "PROP_X_TEXTURE_URL (u16 LE length + UTF-8)";
        P_Y_N_NEIGHBOR_ID "overte.entity.y_n_neighbor_id" "Y n neighbor ID" Uuid "PROP_Y_N_NEIGHBOR_ID (u16 LE length + RFC 4122 bytes)";
        P_Y_P_NEIGHBOR_ID "overte.entity.y_p_neighbor_id" "Y p neighbor ID" Uuid "PROP_Y_P_NEIGHBOR_ID (u16 LE length + RFC 4122 bytes)";
        P_Y_TEXTURE_URL "overte.entity.y_texture_url" "Y texture URL" String "PROP_Y_TEXTURE_URL (u16 LE length + UTF-8)";
        P_Z_N_NEIGHBOR_ID "overte.entity.z_n_neighbor_id" "Z n neighbor ID" Uuid "PROP_Z_N_NEIGHBOR_ID (u16 LE length + RFC 4122 bytes)";
        P_Z_P_NEIGHBOR_ID "overte.entity.z_p_neighbor_id" "Z p neighbor ID" Uuid "PROP_Z_P_NEIGHBOR_ID (u16 LE length + RFC 4122 bytes)";
        P_Z_TEXTURE_URL "overte.entity.z_texture_url" "Z texture URL" String "PROP_Z_TEXTURE_URL (u16 LE length + UTF-8)";
    }
}
pub(crate) use p::ALL;

/// Vircadia (EntityData version 133 and earlier): the common properties in read order.
pub(super) static VIRCADIA_COMMON: &[Row] = &[
    Row { bit: 2, wire: Wire::Bytes, field: &f::SIMULATION_OWNER },
    Row { bit: 3, wire: Wire::Uuid, field: &f::PARENT_ID },
    Row { bit: 4, wire: Wire::U16, field: &f::PARENT_JOINT },
    Row { bit: 5, wire: Wire::Bool, field: &f::VISIBLE },
    Row { bit: 6, wire: Wire::Str, field: &f::NAME },
    Row { bit: 7, wire: Wire::Bool, field: &f::LOCKED },
    Row { bit: 8, wire: Wire::Str, field: &f::USER_DATA },
    Row { bit: 9, wire: Wire::Str, field: &f::PRIVATE_USER_DATA },
    Row { bit: 10, wire: Wire::Str, field: &f::HREF },
    Row { bit: 11, wire: Wire::Str, field: &f::DESCRIPTION },
    Row { bit: 12, wire: Wire::Vec3, field: &f::POSITION },
    Row { bit: 13, wire: Wire::Vec3, field: &f::DIMENSIONS },
    Row { bit: 14, wire: Wire::Quat, field: &f::ROTATION },
    Row { bit: 15, wire: Wire::Vec3, field: &f::REGISTRATION },
    Row { bit: 16, wire: Wire::U64, field: &f::CREATED_PROP },
    Row { bit: 17, wire: Wire::Uuid, field: &f::LAST_EDITED_BY },
    Row { bit: 20, wire: Wire::AaCube, field: &f::QUERY_AA_CUBE },
    Row { bit: 21, wire: Wire::Bool, field: &f::CAN_CAST_SHADOW },
    Row { bit: 23, wire: Wire::U32, field: &f::RENDER_LAYER },
    Row { bit: 24, wire: Wire::U32, field: &f::PRIMITIVE_MODE },
    Row { bit: 25, wire: Wire::Bool, field: &f::IGNORE_PICK },
    Row { bit: 26, wire: Wire::Zones, field: &f::RENDER_WITH_ZONES },
    Row { bit: 27, wire: Wire::U32, field: &f::BILLBOARD_MODE },
    Row { bit: 28, wire: Wire::Bool, field: &p::P_GRAB_GRABBABLE },
    Row { bit: 29, wire: Wire::Bool, field: &p::P_GRAB_KINEMATIC },
    Row { bit: 30, wire: Wire::Bool, field: &p::P_GRAB_FOLLOWS_CONTROLLER },
    Row { bit: 31, wire: Wire::Bool, field: &p::P_GRAB_TRIGGERABLE },
    Row { bit: 32, wire: Wire::Bool, field: &p::P_GRAB_EQUIPPABLE },
    Row { bit: 33, wire: Wire::Bool, field: &p::P_GRAB_DELEGATE_TO_PARENT },
    Row { bit: 34, wire: Wire::Vec3, field: &p::P_GRAB_LEFT_EQUIPPABLE_POSITION_OFFSET },
    Row { bit: 35, wire: Wire::Quat, field: &p::P_GRAB_LEFT_EQUIPPABLE_ROTATION_OFFSET },
    Row { bit: 36, wire: Wire::Vec3, field: &p::P_GRAB_RIGHT_EQUIPPABLE_POSITION_OFFSET },
    Row { bit: 37, wire: Wire::Quat, field: &p::P_GRAB_RIGHT_EQUIPPABLE_ROTATION_OFFSET },
    Row { bit: 38, wire: Wire::Str, field: &p::P_GRAB_EQUIPPABLE_INDICATOR_URL },
    Row { bit: 39, wire: Wire::Vec3, field: &p::P_GRAB_EQUIPPABLE_INDICATOR_SCALE },
    Row { bit: 40, wire: Wire::Vec3, field: &p::P_GRAB_EQUIPPABLE_INDICATOR_OFFSET },
    Row { bit: 41, wire: Wire::F32, field: &p::P_DENSITY },
    Row { bit: 42, wire: Wire::Vec3, field: &p::P_VELOCITY },
    Row { bit: 43, wire: Wire::Vec3, field: &p::P_ANGULAR_VELOCITY },
    Row { bit: 44, wire: Wire::Vec3, field: &p::P_GRAVITY },
    Row { bit: 45, wire: Wire::Vec3, field: &p::P_ACCELERATION },
    Row { bit: 46, wire: Wire::F32, field: &p::P_DAMPING },
    Row { bit: 47, wire: Wire::F32, field: &p::P_ANGULAR_DAMPING },
    Row { bit: 48, wire: Wire::F32, field: &p::P_RESTITUTION },
    Row { bit: 49, wire: Wire::F32, field: &p::P_FRICTION },
    Row { bit: 50, wire: Wire::F32, field: &p::P_LIFETIME },
    Row { bit: 51, wire: Wire::Bool, field: &p::P_COLLISIONLESS },
    Row { bit: 52, wire: Wire::U16, field: &p::P_COLLISION_MASK },
    Row { bit: 53, wire: Wire::Bool, field: &p::P_DYNAMIC },
    Row { bit: 54, wire: Wire::Str, field: &p::P_COLLISION_SOUND_URL },
    Row { bit: 55, wire: Wire::Bytes, field: &p::P_ACTION_DATA },
    Row { bit: 56, wire: Wire::Bool, field: &p::P_CLONEABLE },
    Row { bit: 57, wire: Wire::F32, field: &p::P_CLONE_LIFETIME },
    Row { bit: 58, wire: Wire::F32, field: &p::P_CLONE_LIMIT },
    Row { bit: 59, wire: Wire::Bool, field: &p::P_CLONE_DYNAMIC },
    Row { bit: 60, wire: Wire::Bool, field: &p::P_CLONE_AVATAR_ENTITY },
    Row { bit: 61, wire: Wire::Uuid, field: &p::P_CLONE_ORIGIN_ID },
    Row { bit: 62, wire: Wire::Str, field: &p::P_SCRIPT },
    Row { bit: 63, wire: Wire::U64, field: &p::P_SCRIPT_TIMESTAMP },
    Row { bit: 64, wire: Wire::Str, field: &p::P_SERVER_SCRIPTS },
    Row { bit: 65, wire: Wire::Str, field: &p::P_ITEM_NAME },
    Row { bit: 66, wire: Wire::Str, field: &p::P_ITEM_DESCRIPTION },
    Row { bit: 67, wire: Wire::Str, field: &p::P_ITEM_CATEGORIES },
    Row { bit: 68, wire: Wire::Str, field: &p::P_ITEM_ARTIST },
    Row { bit: 69, wire: Wire::Str, field: &p::P_ITEM_LICENSE },
    Row { bit: 70, wire: Wire::U32, field: &p::P_LIMITED_RUN },
    Row { bit: 71, wire: Wire::Str, field: &p::P_MARKETPLACE_ID },
    Row { bit: 72, wire: Wire::U32, field: &p::P_EDITION_NUMBER },
    Row { bit: 73, wire: Wire::U32, field: &p::P_ENTITY_INSTANCE_NUMBER },
    Row { bit: 74, wire: Wire::Str, field: &p::P_CERTIFICATE_ID },
    Row { bit: 75, wire: Wire::Str, field: &p::P_CERTIFICATE_TYPE },
    Row { bit: 76, wire: Wire::U32, field: &p::P_STATIC_CERTIFICATE_VERSION },
];
/// Vircadia: Shape (types 1, 2, 3).
static VIRCADIA_SHAPE: &[&[Row]] = &[
    &[Row { bit: 84, wire: Wire::Rgb, field: &p::P_COLOR }, Row { bit: 85, wire: Wire::F32, field: &p::P_ALPHA }],
    VIRCADIA_PULSE,
    &[Row { bit: 92, wire: Wire::Str, field: &p::P_SHAPE_NAME }],
];
/// Vircadia: Model (types 4).
static VIRCADIA_MODEL: &[&[Row]] = &[&[
    Row { bit: 82, wire: Wire::U32, field: &p::P_SHAPE_TYPE },
    Row { bit: 83, wire: Wire::Str, field: &p::P_COMPOUND_SHAPE_URL },
    Row { bit: 84, wire: Wire::Rgb, field: &p::P_COLOR },
    Row { bit: 91, wire: Wire::Str, field: &p::P_TEXTURES },
    Row { bit: 92, wire: Wire::Str, field: &p::P_MODEL_URL },
    Row { bit: 93, wire: Wire::Vec3, field: &p::P_MODEL_SCALE },
    Row { bit: 94, wire: Wire::VecBool, field: &p::P_JOINT_ROTATIONS_SET },
    Row { bit: 95, wire: Wire::VecQuat, field: &p::P_JOINT_ROTATIONS },
    Row { bit: 96, wire: Wire::VecBool, field: &p::P_JOINT_TRANSLATIONS_SET },
    Row { bit: 97, wire: Wire::VecVec3, field: &p::P_JOINT_TRANSLATIONS },
    Row { bit: 98, wire: Wire::Bool, field: &p::P_RELAY_PARENT_JOINTS },
    Row { bit: 99, wire: Wire::Bool, field: &p::P_GROUP_CULLED },
    Row { bit: 100, wire: Wire::Str, field: &p::P_BLENDSHAPE_COEFFICIENTS },
    Row { bit: 101, wire: Wire::Bool, field: &p::P_USE_ORIGINAL_PIVOT },
    Row { bit: 102, wire: Wire::Str, field: &p::P_ANIMATION_URL },
    Row { bit: 103, wire: Wire::Bool, field: &p::P_ANIMATION_ALLOW_TRANSLATION },
    Row { bit: 104, wire: Wire::F32, field: &p::P_ANIMATION_FPS },
    Row { bit: 105, wire: Wire::F32, field: &p::P_ANIMATION_FRAME_INDEX },
    Row { bit: 106, wire: Wire::Bool, field: &p::P_ANIMATION_PLAYING },
    Row { bit: 107, wire: Wire::Bool, field: &p::P_ANIMATION_LOOP },
    Row { bit: 108, wire: Wire::F32, field: &p::P_ANIMATION_FIRST_FRAME },
    Row { bit: 109, wire: Wire::F32, field: &p::P_ANIMATION_LAST_FRAME },
    Row { bit: 110, wire: Wire::Bool, field: &p::P_ANIMATION_HOLD },
]];
/// Vircadia: Text (types 5).
static VIRCADIA_TEXT: &[&[Row]] = &[
    VIRCADIA_PULSE,
    &[
        Row { bit: 92, wire: Wire::Str, field: &p::P_TEXT },
        Row { bit: 93, wire: Wire::F32, field: &p::P_LINE_HEIGHT },
        Row { bit: 94, wire: Wire::Rgb, field: &p::P_TEXT_COLOR },
        Row { bit: 95, wire: Wire::F32, field: &p::P_TEXT_ALPHA },
        Row { bit: 96, wire: Wire::Rgb, field: &p::P_BACKGROUND_COLOR },
        Row { bit: 97, wire: Wire::F32, field: &p::P_BACKGROUND_ALPHA },
        Row { bit: 98, wire: Wire::F32, field: &p::P_LEFT_MARGIN },
        Row { bit: 99, wire: Wire::F32, field: &p::P_RIGHT_MARGIN },
        Row { bit: 100, wire: Wire::F32, field: &p::P_TOP_MARGIN },
        Row { bit: 101, wire: Wire::F32, field: &p::P_BOTTOM_MARGIN },
        Row { bit: 102, wire: Wire::Bool, field: &p::P_UNLIT },
        Row { bit: 103, wire: Wire::Str, field: &p::P_FONT },
        Row { bit: 104, wire: Wire::U32, field: &p::P_TEXT_EFFECT },
        Row { bit: 105, wire: Wire::Rgb, field: &p::P_TEXT_EFFECT_COLOR },
        Row { bit: 106, wire: Wire::F32, field: &p::P_TEXT_EFFECT_THICKNESS },
        Row { bit: 107, wire: Wire::U32, field: &p::P_TEXT_ALIGNMENT },
    ],
];
/// Vircadia: Image (types 6).
static VIRCADIA_IMAGE: &[&[Row]] = &[
    &[Row { bit: 84, wire: Wire::Rgb, field: &p::P_COLOR }, Row { bit: 85, wire: Wire::F32, field: &p::P_ALPHA }],
    VIRCADIA_PULSE,
    &[
        Row { bit: 92, wire: Wire::Str, field: &p::P_IMAGE_URL },
        Row { bit: 93, wire: Wire::Bool, field: &p::P_EMISSIVE },
        Row { bit: 94, wire: Wire::Bool, field: &p::P_KEEP_ASPECT_RATIO },
        Row { bit: 95, wire: Wire::Rect, field: &p::P_SUB_IMAGE },
    ],
];
/// Vircadia: Web (types 7).
static VIRCADIA_WEB: &[&[Row]] = &[
    &[Row { bit: 84, wire: Wire::Rgb, field: &p::P_COLOR }, Row { bit: 85, wire: Wire::F32, field: &p::P_ALPHA }],
    VIRCADIA_PULSE,
    &[
        Row { bit: 92, wire: Wire::Str, field: &p::P_SOURCE_URL },
        Row { bit: 93, wire: Wire::U16, field: &p::P_DPI },
        Row { bit: 94, wire: Wire::Str, field: &p::P_SCRIPT_URL },
        Row { bit: 95, wire: Wire::U8, field: &p::P_MAX_FPS },
        Row { bit: 96, wire: Wire::U32, field: &p::P_INPUT_MODE },
        Row { bit: 97, wire: Wire::Bool, field: &p::P_SHOW_KEYBOARD_FOCUS_HIGHLIGHT },
        Row { bit: 98, wire: Wire::Bool, field: &p::P_WEB_USE_BACKGROUND },
        Row { bit: 99, wire: Wire::Str, field: &p::P_USER_AGENT },
    ],
];
/// Vircadia: ParticleEffect (types 8).
static VIRCADIA_PARTICLE_EFFECT: &[&[Row]] = &[
    &[
        Row { bit: 82, wire: Wire::U32, field: &p::P_SHAPE_TYPE },
        Row { bit: 83, wire: Wire::Str, field: &p::P_COMPOUND_SHAPE_URL },
        Row { bit: 84, wire: Wire::Rgb, field: &p::P_COLOR },
        Row { bit: 85, wire: Wire::F32, field: &p::P_ALPHA },
    ],
    VIRCADIA_PULSE,
    &[
        Row { bit: 91, wire: Wire::Str, field: &p::P_TEXTURES },
        Row { bit: 92, wire: Wire::U32, field: &p::P_MAX_PARTICLES },
        Row { bit: 93, wire: Wire::F32, field: &p::P_LIFESPAN },
        Row { bit: 94, wire: Wire::Bool, field: &p::P_EMITTING_PARTICLES },
        Row { bit: 95, wire: Wire::F32, field: &p::P_EMIT_RATE },
        Row { bit: 96, wire: Wire::F32, field: &p::P_EMIT_SPEED },
        Row { bit: 97, wire: Wire::F32, field: &p::P_SPEED_SPREAD },
        Row { bit: 98, wire: Wire::Quat, field: &p::P_EMIT_ORIENTATION },
        Row { bit: 99, wire: Wire::Vec3, field: &p::P_EMIT_DIMENSIONS },
        Row { bit: 105, wire: Wire::F32, field: &p::P_EMIT_RADIUS_START },
        Row { bit: 101, wire: Wire::F32, field: &p::P_POLAR_START },
        Row { bit: 102, wire: Wire::F32, field: &p::P_POLAR_FINISH },
        Row { bit: 103, wire: Wire::F32, field: &p::P_AZIMUTH_START },
        Row { bit: 104, wire: Wire::F32, field: &p::P_AZIMUTH_FINISH },
        Row { bit: 106, wire: Wire::Vec3, field: &p::P_EMIT_ACCELERATION },
        Row { bit: 100, wire: Wire::Vec3, field: &p::P_ACCELERATION_SPREAD },
        Row { bit: 107, wire: Wire::F32, field: &p::P_PARTICLE_RADIUS },
        Row { bit: 108, wire: Wire::F32, field: &p::P_RADIUS_SPREAD },
        Row { bit: 109, wire: Wire::F32, field: &p::P_RADIUS_START },
        Row { bit: 110, wire: Wire::F32, field: &p::P_RADIUS_FINISH },
        Row { bit: 111, wire: Wire::Rgb, field: &p::P_COLOR_SPREAD },
        Row { bit: 112, wire: Wire::Vec3, field: &p::P_COLOR_START },
        Row { bit: 113, wire: Wire::Vec3, field: &p::P_COLOR_FINISH },
        Row { bit: 114, wire: Wire::F32, field: &p::P_ALPHA_SPREAD },
        Row { bit: 115, wire: Wire::F32, field: &p::P_ALPHA_START },
        Row { bit: 116, wire: Wire::F32, field: &p::P_ALPHA_FINISH },
        Row { bit: 117, wire: Wire::Bool, field: &p::P_EMITTER_SHOULD_TRAIL },
        Row { bit: 118, wire: Wire::F32, field: &p::P_PARTICLE_SPIN },
        Row { bit: 121, wire: Wire::F32, field: &p::P_SPIN_SPREAD },
        Row { bit: 119, wire: Wire::F32, field: &p::P_SPIN_START },
        Row { bit: 120, wire: Wire::F32, field: &p::P_SPIN_FINISH },
        Row { bit: 122, wire: Wire::Bool, field: &p::P_PARTICLE_ROTATE_WITH_ENTITY },
    ],
];
/// Vircadia: Line (types 9).
static VIRCADIA_LINE: &[&[Row]] = &[&[
    Row { bit: 84, wire: Wire::Rgb, field: &p::P_COLOR },
    Row { bit: 92, wire: Wire::VecVec3, field: &p::P_LINE_POINTS },
]];
/// Vircadia: PolyLine (types 10).
static VIRCADIA_POLY_LINE: &[&[Row]] = &[&[
    Row { bit: 84, wire: Wire::Rgb, field: &p::P_COLOR },
    Row { bit: 91, wire: Wire::Str, field: &p::P_TEXTURES },
    Row { bit: 92, wire: Wire::VecVec3, field: &p::P_LINE_POINTS },
    Row { bit: 93, wire: Wire::VecF32, field: &p::P_STROKE_WIDTHS },
    Row { bit: 94, wire: Wire::VecVec3, field: &p::P_STROKE_NORMALS },
    Row { bit: 95, wire: Wire::VecVec3, field: &p::P_STROKE_COLORS },
    Row { bit: 96, wire: Wire::Bool, field: &p::P_IS_UV_MODE_STRETCH },
    Row { bit: 97, wire: Wire::Bool, field: &p::P_LINE_GLOW },
    Row { bit: 98, wire: Wire::Bool, field: &p::P_LINE_FACE_CAMERA },
]];
/// Vircadia: PolyVox (types 11).
static VIRCADIA_POLY_VOX: &[&[Row]] = &[&[
    Row { bit: 92, wire: Wire::Vec3, field: &p::P_VOXEL_VOLUME_SIZE },
    Row { bit: 93, wire: Wire::Bytes, field: &p::P_VOXEL_DATA },
    Row { bit: 94, wire: Wire::U16, field: &p::P_VOXEL_SURFACE_STYLE },
    Row { bit: 95, wire: Wire::Str, field: &p::P_X_TEXTURE_URL },
    Row { bit: 96, wire: Wire::Str, field: &p::P_Y_TEXTURE_URL },
    Row { bit: 97, wire: Wire::Str, field: &p::P_Z_TEXTURE_URL },
    Row { bit: 98, wire: Wire::Uuid, field: &p::P_X_N_NEIGHBOR_ID },
    Row { bit: 99, wire: Wire::Uuid, field: &p::P_Y_N_NEIGHBOR_ID },
    Row { bit: 100, wire: Wire::Uuid, field: &p::P_Z_N_NEIGHBOR_ID },
    Row { bit: 101, wire: Wire::Uuid, field: &p::P_X_P_NEIGHBOR_ID },
    Row { bit: 102, wire: Wire::Uuid, field: &p::P_Y_P_NEIGHBOR_ID },
    Row { bit: 103, wire: Wire::Uuid, field: &p::P_Z_P_NEIGHBOR_ID },
]];
/// Vircadia: Grid (types 12).
static VIRCADIA_GRID: &[&[Row]] = &[
    &[Row { bit: 84, wire: Wire::Rgb, field: &p::P_COLOR }, Row { bit: 85, wire: Wire::F32, field: &p::P_ALPHA }],
    VIRCADIA_PULSE,
    &[
        Row { bit: 92, wire: Wire::Bool, field: &p::P_GRID_FOLLOW_CAMERA },
        Row { bit: 93, wire: Wire::U32, field: &p::P_MAJOR_GRID_EVERY },
        Row { bit: 94, wire: Wire::F32, field: &p::P_MINOR_GRID_EVERY },
    ],
];
/// Vircadia: Gizmo (types 13).
static VIRCADIA_GIZMO: &[&[Row]] = &[&[
    Row { bit: 92, wire: Wire::U32, field: &p::P_GIZMO_TYPE },
    Row { bit: 93, wire: Wire::F32, field: &p::P_START_ANGLE },
    Row { bit: 94, wire: Wire::F32, field: &p::P_END_ANGLE },
    Row { bit: 95, wire: Wire::F32, field: &p::P_INNER_RADIUS },
    Row { bit: 96, wire: Wire::Rgb, field: &p::P_INNER_START_COLOR },
    Row { bit: 97, wire: Wire::Rgb, field: &p::P_INNER_END_COLOR },
    Row { bit: 98, wire: Wire::Rgb, field: &p::P_OUTER_START_COLOR },
    Row { bit: 99, wire: Wire::Rgb, field: &p::P_OUTER_END_COLOR },
    Row { bit: 100, wire: Wire::F32, field: &p::P_INNER_START_ALPHA },
    Row { bit: 101, wire: Wire::F32, field: &p::P_INNER_END_ALPHA },
    Row { bit: 102, wire: Wire::F32, field: &p::P_OUTER_START_ALPHA },
    Row { bit: 103, wire: Wire::F32, field: &p::P_OUTER_END_ALPHA },
    Row { bit: 104, wire: Wire::Bool, field: &p::P_HAS_TICK_MARKS },
    Row { bit: 105, wire: Wire::F32, field: &p::P_MAJOR_TICK_MARKS_ANGLE },
    Row { bit: 106, wire: Wire::F32, field: &p::P_MINOR_TICK_MARKS_ANGLE },
    Row { bit: 107, wire: Wire::F32, field: &p::P_MAJOR_TICK_MARKS_LENGTH },
    Row { bit: 108, wire: Wire::F32, field: &p::P_MINOR_TICK_MARKS_LENGTH },
    Row { bit: 109, wire: Wire::Rgb, field: &p::P_MAJOR_TICK_MARKS_COLOR },
    Row { bit: 110, wire: Wire::Rgb, field: &p::P_MINOR_TICK_MARKS_COLOR },
]];
/// Vircadia: Light (types 14).
static VIRCADIA_LIGHT: &[&[Row]] = &[&[
    Row { bit: 84, wire: Wire::Rgb, field: &p::P_COLOR },
    Row { bit: 92, wire: Wire::Bool, field: &p::P_IS_SPOTLIGHT },
    Row { bit: 93, wire: Wire::F32, field: &p::P_INTENSITY },
    Row { bit: 94, wire: Wire::F32, field: &p::P_EXPONENT },
    Row { bit: 95, wire: Wire::F32, field: &p::P_CUTOFF },
    Row { bit: 96, wire: Wire::F32, field: &p::P_FALLOFF_RADIUS },
]];
/// Vircadia: Zone (types 15).
static VIRCADIA_ZONE: &[&[Row]] = &[&[
    Row { bit: 82, wire: Wire::U32, field: &p::P_SHAPE_TYPE },
    Row { bit: 83, wire: Wire::Str, field: &p::P_COMPOUND_SHAPE_URL },
    Row { bit: 92, wire: Wire::Rgb, field: &p::P_KEYLIGHT_COLOR },
    Row { bit: 93, wire: Wire::F32, field: &p::P_KEYLIGHT_INTENSITY },
    Row { bit: 94, wire: Wire::Vec3, field: &p::P_KEYLIGHT_DIRECTION },
    Row { bit: 95, wire: Wire::Bool, field: &p::P_KEYLIGHT_CAST_SHADOW },
    Row { bit: 96, wire: Wire::F32, field: &p::P_KEYLIGHT_SHADOW_BIAS },
    Row { bit: 97, wire: Wire::F32, field: &p::P_KEYLIGHT_SHADOW_MAX_DISTANCE },
    Row { bit: 98, wire: Wire::F32, field: &p::P_AMBIENT_LIGHT_INTENSITY },
    Row { bit: 99, wire: Wire::Str, field: &p::P_AMBIENT_LIGHT_URL },
    Row { bit: 100, wire: Wire::Rgb, field: &p::P_SKYBOX_COLOR },
    Row { bit: 101, wire: Wire::Str, field: &p::P_SKYBOX_URL },
    Row { bit: 102, wire: Wire::F32, field: &p::P_HAZE_RANGE },
    Row { bit: 103, wire: Wire::Rgb, field: &p::P_HAZE_COLOR },
    Row { bit: 104, wire: Wire::Rgb, field: &p::P_HAZE_GLARE_COLOR },
    Row { bit: 105, wire: Wire::Bool, field: &p::P_HAZE_ENABLE_GLARE },
    Row { bit: 106, wire: Wire::F32, field: &p::P_HAZE_GLARE_ANGLE },
    Row { bit: 107, wire: Wire::Bool, field: &p::P_HAZE_ALTITUDE_EFFECT },
    Row { bit: 108, wire: Wire::F32, field: &p::P_HAZE_CEILING },
    Row { bit: 109, wire: Wire::F32, field: &p::P_HAZE_BASE_REF },
    Row { bit: 110, wire: Wire::F32, field: &p::P_HAZE_BACKGROUND_BLEND },
    Row { bit: 111, wire: Wire::Bool, field: &p::P_HAZE_ATTENUATE_KEYLIGHT },
    Row { bit: 112, wire: Wire::F32, field: &p::P_HAZE_KEYLIGHT_RANGE },
    Row { bit: 113, wire: Wire::F32, field: &p::P_HAZE_KEYLIGHT_ALTITUDE },
    Row { bit: 114, wire: Wire::F32, field: &p::P_BLOOM_INTENSITY },
    Row { bit: 115, wire: Wire::F32, field: &p::P_BLOOM_THRESHOLD },
    Row { bit: 116, wire: Wire::F32, field: &p::P_BLOOM_SIZE },
    Row { bit: 117, wire: Wire::Bool, field: &p::P_FLYING_ALLOWED },
    Row { bit: 118, wire: Wire::Bool, field: &p::P_GHOSTING_ALLOWED },
    Row { bit: 119, wire: Wire::Str, field: &p::P_FILTER_URL },
    Row { bit: 120, wire: Wire::U32, field: &p::P_KEY_LIGHT_MODE },
    Row { bit: 121, wire: Wire::U32, field: &p::P_AMBIENT_LIGHT_MODE },
    Row { bit: 122, wire: Wire::U32, field: &p::P_SKYBOX_MODE },
    Row { bit: 123, wire: Wire::U32, field: &p::P_HAZE_MODE },
    Row { bit: 124, wire: Wire::U32, field: &p::P_BLOOM_MODE },
    Row { bit: 125, wire: Wire::U32, field: &p::P_AVATAR_PRIORITY },
    Row { bit: 126, wire: Wire::U32, field: &p::P_SCREENSHARE },
]];
/// Vircadia: Material (types 16).
static VIRCADIA_MATERIAL: &[&[Row]] = &[&[
    Row { bit: 92, wire: Wire::Str, field: &p::P_MATERIAL_URL },
    Row { bit: 93, wire: Wire::U32, field: &p::P_MATERIAL_MAPPING_MODE },
    Row { bit: 94, wire: Wire::U16, field: &p::P_MATERIAL_PRIORITY },
    Row { bit: 95, wire: Wire::Str, field: &p::P_PARENT_MATERIAL_NAME },
    Row { bit: 96, wire: Wire::Vec2, field: &p::P_MATERIAL_MAPPING_POS },
    Row { bit: 97, wire: Wire::Vec2, field: &p::P_MATERIAL_MAPPING_SCALE },
    Row { bit: 98, wire: Wire::F32, field: &p::P_MATERIAL_MAPPING_ROT },
    Row { bit: 99, wire: Wire::Str, field: &p::P_MATERIAL_DATA },
    Row { bit: 100, wire: Wire::Bool, field: &p::P_MATERIAL_REPEAT },
]];
/// Vircadia: each entity type's own section, by type number.
/// Vircadia: the pulse group (deprecated) where a type has it.
static VIRCADIA_PULSE: &[Row] = &[
    Row { bit: 86, wire: Wire::F32, field: &p::P_PULSE_MIN },
    Row { bit: 87, wire: Wire::F32, field: &p::P_PULSE_MAX },
    Row { bit: 88, wire: Wire::F32, field: &p::P_PULSE_PERIOD },
    Row { bit: 89, wire: Wire::U32, field: &p::P_PULSE_COLOR_MODE },
    Row { bit: 90, wire: Wire::U32, field: &p::P_PULSE_ALPHA_MODE },
];
pub(super) static VIRCADIA_TYPES: &[(u64, &[&[Row]])] = &[
    (1, VIRCADIA_SHAPE),
    (2, VIRCADIA_SHAPE),
    (3, VIRCADIA_SHAPE),
    (4, VIRCADIA_MODEL),
    (5, VIRCADIA_TEXT),
    (6, VIRCADIA_IMAGE),
    (7, VIRCADIA_WEB),
    (8, VIRCADIA_PARTICLE_EFFECT),
    (9, VIRCADIA_LINE),
    (10, VIRCADIA_POLY_LINE),
    (11, VIRCADIA_POLY_VOX),
    (12, VIRCADIA_GRID),
    (13, VIRCADIA_GIZMO),
    (14, VIRCADIA_LIGHT),
    (15, VIRCADIA_ZONE),
    (16, VIRCADIA_MATERIAL),
];
/// Overte, EntityData versions 147 to 151: the Core, Physics, Cloning and Scripts properties in read
/// order, each with its bit in each version (0: not in that version).
pub(super) static OVERTE_BASE: &[ORow] = &[
    ORow { bits: [2, 2, 2, 2, 2], wire: Wire::SimOwner, field: &f::SIMULATION_OWNER },
    ORow { bits: [3, 3, 3, 3, 3], wire: Wire::Uuid, field: &f::PARENT_ID },
    ORow { bits: [4, 4, 4, 4, 4], wire: Wire::U16, field: &f::PARENT_JOINT },
    ORow { bits: [5, 5, 5, 5, 5], wire: Wire::Bool, field: &f::VISIBLE },
    ORow { bits: [6, 6, 6, 6, 6], wire: Wire::Str, field: &f::NAME },
    ORow { bits: [7, 7, 7, 7, 7], wire: Wire::Bool, field: &f::LOCKED },
    ORow { bits: [8, 8, 8, 8, 8], wire: Wire::Str, field: &f::USER_DATA },
    ORow { bits: [9, 9, 9, 9, 9], wire: Wire::Str, field: &f::PRIVATE_USER_DATA },
    ORow { bits: [10, 10, 10, 10, 10], wire: Wire::Str, field: &f::HREF },
    ORow { bits: [11, 11, 11, 11, 11], wire: Wire::Str, field: &f::DESCRIPTION },
    ORow { bits: [12, 12, 12, 12, 12], wire: Wire::Vec3, field: &f::POSITION },
    ORow { bits: [13, 13, 13, 13, 13], wire: Wire::Vec3, field: &f::DIMENSIONS },
    ORow { bits: [14, 14, 14, 14, 14], wire: Wire::Quat, field: &f::ROTATION },
    ORow { bits: [15, 15, 15, 15, 15], wire: Wire::Vec3, field: &f::REGISTRATION },
    ORow { bits: [16, 16, 16, 16, 16], wire: Wire::U64, field: &f::CREATED_PROP },
    ORow { bits: [17, 17, 17, 17, 17], wire: Wire::Uuid, field: &f::LAST_EDITED_BY },
    ORow { bits: [20, 20, 20, 20, 20], wire: Wire::AaCube, field: &f::QUERY_AA_CUBE },
    ORow { bits: [21, 21, 21, 21, 21], wire: Wire::Bool, field: &f::CAN_CAST_SHADOW },
    ORow { bits: [23, 23, 23, 23, 23], wire: Wire::E8, field: &f::RENDER_LAYER },
    ORow { bits: [24, 24, 24, 24, 24], wire: Wire::E8, field: &f::PRIMITIVE_MODE },
    ORow { bits: [25, 25, 25, 25, 25], wire: Wire::Bool, field: &f::IGNORE_PICK },
    ORow { bits: [26, 26, 26, 26, 26], wire: Wire::Zones, field: &f::RENDER_WITH_ZONES },
    ORow { bits: [27, 27, 27, 27, 27], wire: Wire::E8, field: &f::BILLBOARD_MODE },
    ORow { bits: [28, 28, 28, 28, 28], wire: Wire::Tags, field: &p::P_TAGS },
    ORow { bits: [29, 29, 29, 29, 29], wire: Wire::Bool, field: &p::P_GRAB_GRABBABLE },
    ORow { bits: [30, 30, 30, 30, 30], wire: Wire::Bool, field: &p::P_GRAB_KINEMATIC },
    ORow { bits: [31, 31, 31, 31, 31], wire: Wire::Bool, field: &p::P_GRAB_FOLLOWS_CONTROLLER },
    ORow { bits: [32, 32, 32, 32, 32], wire: Wire::Bool, field: &p::P_GRAB_TRIGGERABLE },
    ORow { bits: [33, 33, 33, 33, 33], wire: Wire::Bool, field: &p::P_GRAB_EQUIPPABLE },
    ORow { bits: [34, 34, 34, 34, 34], wire: Wire::Bool, field: &p::P_GRAB_DELEGATE_TO_PARENT },
    ORow { bits: [35, 35, 35, 35, 35], wire: Wire::Vec3, field: &p::P_GRAB_LEFT_EQUIPPABLE_POSITION_OFFSET },
    ORow { bits: [36, 36, 36, 36, 36], wire: Wire::Quat, field: &p::P_GRAB_LEFT_EQUIPPABLE_ROTATION_OFFSET },
    ORow { bits: [37, 37, 37, 37, 37], wire: Wire::Vec3, field: &p::P_GRAB_RIGHT_EQUIPPABLE_POSITION_OFFSET },
    ORow { bits: [38, 38, 38, 38, 38], wire: Wire::Quat, field: &p::P_GRAB_RIGHT_EQUIPPABLE_ROTATION_OFFSET },
    ORow { bits: [39, 39, 39, 39, 39], wire: Wire::Str, field: &p::P_GRAB_EQUIPPABLE_INDICATOR_URL },
    ORow { bits: [40, 40, 40, 40, 40], wire: Wire::Vec3, field: &p::P_GRAB_EQUIPPABLE_INDICATOR_SCALE },
    ORow { bits: [41, 41, 41, 41, 41], wire: Wire::Vec3, field: &p::P_GRAB_EQUIPPABLE_INDICATOR_OFFSET },
    ORow { bits: [42, 42, 42, 42, 42], wire: Wire::E8, field: &p::P_MIRROR_MODE },
    ORow { bits: [43, 43, 43, 43, 43], wire: Wire::Uuid, field: &p::P_PORTAL_EXIT_ID },
    ORow { bits: [44, 44, 44, 44, 44], wire: Wire::F32, field: &p::P_DENSITY },
    ORow { bits: [45, 45, 45, 45, 45], wire: Wire::Vec3, field: &p::P_VELOCITY },
    ORow { bits: [46, 46, 46, 46, 46], wire: Wire::Vec3, field: &p::P_ANGULAR_VELOCITY },
    ORow { bits: [47, 47, 47, 47, 47], wire: Wire::Vec3, field: &p::P_GRAVITY },
    ORow { bits: [48, 48, 48, 48, 48], wire: Wire::Vec3, field: &p::P_ACCELERATION },
    ORow { bits: [49, 49, 49, 49, 49], wire: Wire::F32, field: &p::P_DAMPING },
    ORow { bits: [50, 50, 50, 50, 50], wire: Wire::F32, field: &p::P_ANGULAR_DAMPING },
    ORow { bits: [51, 51, 51, 51, 51], wire: Wire::F32, field: &p::P_RESTITUTION },
    ORow { bits: [52, 52, 52, 52, 52], wire: Wire::F32, field: &p::P_FRICTION },
    ORow { bits: [53, 53, 53, 53, 53], wire: Wire::F32, field: &p::P_LIFETIME },
    ORow { bits: [54, 54, 54, 54, 54], wire: Wire::Bool, field: &p::P_COLLISIONLESS },
    ORow { bits: [55, 55, 55, 55, 55], wire: Wire::U16, field: &p::P_COLLISION_MASK },
    ORow { bits: [56, 56, 56, 56, 56], wire: Wire::Bool, field: &p::P_DYNAMIC },
    ORow { bits: [57, 57, 57, 57, 57], wire: Wire::Str, field: &p::P_COLLISION_SOUND_URL },
    ORow { bits: [58, 58, 58, 58, 58], wire: Wire::Bytes, field: &p::P_ACTION_DATA },
    ORow { bits: [59, 59, 59, 59, 59], wire: Wire::Bool, field: &p::P_CLONEABLE },
    ORow { bits: [60, 60, 60, 60, 60], wire: Wire::F32, field: &p::P_CLONE_LIFETIME },
    ORow { bits: [61, 61, 61, 61, 61], wire: Wire::F32, field: &p::P_CLONE_LIMIT },
    ORow { bits: [62, 62, 62, 62, 62], wire: Wire::Bool, field: &p::P_CLONE_DYNAMIC },
    ORow { bits: [63, 63, 63, 63, 63], wire: Wire::Bool, field: &p::P_CLONE_AVATAR_ENTITY },
    ORow { bits: [64, 64, 64, 64, 64], wire: Wire::Uuid, field: &p::P_CLONE_ORIGIN_ID },
    ORow { bits: [65, 65, 65, 65, 65], wire: Wire::Str, field: &p::P_SCRIPT },
    ORow { bits: [66, 66, 66, 66, 66], wire: Wire::U64, field: &p::P_SCRIPT_TIMESTAMP },
    ORow { bits: [67, 67, 67, 67, 67], wire: Wire::Str, field: &p::P_SERVER_SCRIPTS },
];
/// Overte: Shape (types 1, 2, 3).
static OVERTE_SHAPE: &[&[ORow]] = &[
    &[
        ORow { bits: [75, 75, 75, 75, 75], wire: Wire::Rgb, field: &p::P_COLOR },
        ORow { bits: [76, 76, 76, 76, 76], wire: Wire::F32, field: &p::P_ALPHA },
        ORow { bits: [77, 77, 77, 77, 77], wire: Wire::Bool, field: &p::P_UNLIT },
    ],
    OVERTE_PULSE,
    &[
        ORow { bits: [85, 85, 85, 85, 86], wire: Wire::E8, field: &p::P_SHAPE },
        ORow { bits: [0, 86, 86, 86, 87], wire: Wire::F32, field: &p::P_SHAPE_INNER_RADIUS },
    ],
];
/// Overte: Model (types 4).
static OVERTE_MODEL: &[&[ORow]] = &[&[
    ORow { bits: [73, 73, 73, 73, 73], wire: Wire::E8, field: &p::P_SHAPE_TYPE },
    ORow { bits: [74, 74, 74, 74, 74], wire: Wire::Str, field: &p::P_COMPOUND_SHAPE_URL },
    ORow { bits: [75, 75, 75, 75, 75], wire: Wire::Rgb, field: &p::P_COLOR },
    ORow { bits: [83, 83, 83, 83, 84], wire: Wire::Str, field: &p::P_TEXTURES },
    ORow { bits: [85, 85, 85, 85, 86], wire: Wire::Str, field: &p::P_MODEL_URL },
    ORow { bits: [86, 86, 86, 86, 87], wire: Wire::Vec3, field: &p::P_MODEL_SCALE },
    ORow { bits: [87, 87, 87, 87, 88], wire: Wire::VecBool, field: &p::P_JOINT_ROTATIONS_SET },
    ORow { bits: [88, 88, 88, 88, 89], wire: Wire::VecQuat, field: &p::P_JOINT_ROTATIONS },
    ORow { bits: [89, 89, 89, 89, 90], wire: Wire::VecBool, field: &p::P_JOINT_TRANSLATIONS_SET },
    ORow { bits: [90, 90, 90, 90, 91], wire: Wire::VecVec3, field: &p::P_JOINT_TRANSLATIONS },
    ORow { bits: [91, 91, 91, 91, 92], wire: Wire::Bool, field: &p::P_RELAY_PARENT_JOINTS },
    ORow { bits: [92, 92, 92, 92, 93], wire: Wire::Bool, field: &p::P_GROUP_CULLED },
    ORow { bits: [93, 93, 93, 93, 94], wire: Wire::Str, field: &p::P_BLENDSHAPE_COEFFICIENTS },
    ORow { bits: [94, 94, 94, 94, 95], wire: Wire::Bool, field: &p::P_USE_ORIGINAL_PIVOT },
    ORow { bits: [95, 95, 95, 95, 96], wire: Wire::F32, field: &p::P_LOAD_PRIORITY },
    ORow { bits: [96, 96, 96, 96, 97], wire: Wire::Str, field: &p::P_ANIMATION_URL },
    ORow { bits: [97, 97, 97, 97, 98], wire: Wire::F32, field: &p::P_ANIMATION_FPS },
    ORow { bits: [98, 98, 98, 98, 99], wire: Wire::F32, field: &p::P_ANIMATION_FRAME_INDEX },
    ORow { bits: [99, 99, 99, 99, 100], wire: Wire::Bool, field: &p::P_ANIMATION_PLAYING },
    ORow { bits: [100, 100, 100, 100, 101], wire: Wire::Bool, field: &p::P_ANIMATION_LOOP },
    ORow { bits: [101, 101, 101, 101, 102], wire: Wire::F32, field: &p::P_ANIMATION_FIRST_FRAME },
    ORow { bits: [102, 102, 102, 102, 103], wire: Wire::F32, field: &p::P_ANIMATION_LAST_FRAME },
    ORow { bits: [103, 103, 103, 103, 104], wire: Wire::Bool, field: &p::P_ANIMATION_HOLD },
    ORow { bits: [104, 104, 104, 104, 105], wire: Wire::Bool, field: &p::P_ANIMATION_ALLOW_TRANSLATION },
    ORow { bits: [105, 105, 105, 105, 106], wire: Wire::Bool, field: &p::P_ANIMATION_SMOOTH_FRAMES },
]];
/// Overte: Text (types 5).
static OVERTE_TEXT: &[&[ORow]] = &[
    &[ORow { bits: [77, 77, 77, 77, 77], wire: Wire::Bool, field: &p::P_UNLIT }],
    OVERTE_PULSE,
    &[
        ORow { bits: [85, 85, 85, 85, 86], wire: Wire::Str, field: &p::P_TEXT },
        ORow { bits: [86, 86, 86, 86, 87], wire: Wire::F32, field: &p::P_LINE_HEIGHT },
        ORow { bits: [87, 87, 87, 87, 88], wire: Wire::Rgb, field: &p::P_TEXT_COLOR },
        ORow { bits: [88, 88, 88, 88, 89], wire: Wire::F32, field: &p::P_TEXT_ALPHA },
        ORow { bits: [89, 89, 89, 89, 90], wire: Wire::Rgb, field: &p::P_BACKGROUND_COLOR },
        ORow { bits: [90, 90, 90, 90, 91], wire: Wire::F32, field: &p::P_BACKGROUND_ALPHA },
        ORow { bits: [91, 91, 91, 91, 92], wire: Wire::F32, field: &p::P_LEFT_MARGIN },
        ORow { bits: [92, 92, 92, 92, 93], wire: Wire::F32, field: &p::P_RIGHT_MARGIN },
        ORow { bits: [93, 93, 93, 93, 94], wire: Wire::F32, field: &p::P_TOP_MARGIN },
        ORow { bits: [94, 94, 94, 94, 95], wire: Wire::F32, field: &p::P_BOTTOM_MARGIN },
        ORow { bits: [95, 95, 95, 95, 96], wire: Wire::Str, field: &p::P_FONT },
        ORow { bits: [96, 96, 96, 96, 97], wire: Wire::E8, field: &p::P_TEXT_EFFECT },
        ORow { bits: [97, 97, 97, 97, 98], wire: Wire::Rgb, field: &p::P_TEXT_EFFECT_COLOR },
        ORow { bits: [98, 98, 98, 98, 99], wire: Wire::F32, field: &p::P_TEXT_EFFECT_THICKNESS },
        ORow { bits: [99, 99, 99, 99, 100], wire: Wire::E8, field: &p::P_TEXT_ALIGNMENT },
        ORow { bits: [100, 100, 100, 100, 101], wire: Wire::E8, field: &p::P_TEXT_VERTICAL_ALIGNMENT },
    ],
];
/// Overte: Image (types 6).
static OVERTE_IMAGE: &[&[ORow]] = &[
    &[
        ORow { bits: [75, 75, 75, 75, 75], wire: Wire::Rgb, field: &p::P_COLOR },
        ORow { bits: [76, 76, 76, 76, 76], wire: Wire::F32, field: &p::P_ALPHA },
    ],
    OVERTE_PULSE,
    &[
        ORow { bits: [85, 85, 85, 85, 86], wire: Wire::Str, field: &p::P_IMAGE_URL },
        ORow { bits: [86, 86, 86, 86, 87], wire: Wire::Bool, field: &p::P_EMISSIVE },
        ORow { bits: [87, 87, 87, 87, 88], wire: Wire::Bool, field: &p::P_KEEP_ASPECT_RATIO },
        ORow { bits: [88, 88, 88, 88, 89], wire: Wire::Rect, field: &p::P_SUB_IMAGE },
    ],
];
/// Overte: Web (types 7).
static OVERTE_WEB: &[&[ORow]] = &[
    &[
        ORow { bits: [75, 75, 75, 75, 75], wire: Wire::Rgb, field: &p::P_COLOR },
        ORow { bits: [76, 76, 76, 76, 76], wire: Wire::F32, field: &p::P_ALPHA },
    ],
    OVERTE_PULSE,
    &[
        ORow { bits: [85, 85, 85, 85, 86], wire: Wire::Str, field: &p::P_SOURCE_URL },
        ORow { bits: [86, 86, 86, 86, 87], wire: Wire::U16, field: &p::P_DPI },
        ORow { bits: [0, 0, 0, 0, 78], wire: Wire::Str, field: &p::P_SCRIPT_URL },
        ORow { bits: [88, 88, 88, 88, 88], wire: Wire::U8, field: &p::P_MAX_FPS },
        ORow { bits: [89, 89, 89, 89, 89], wire: Wire::E8, field: &p::P_INPUT_MODE },
        ORow { bits: [90, 90, 90, 90, 90], wire: Wire::Bool, field: &p::P_WANTS_KEYBOARD_FOCUS },
        ORow { bits: [91, 91, 91, 91, 91], wire: Wire::Bool, field: &p::P_SHOW_KEYBOARD_FOCUS_HIGHLIGHT },
        ORow { bits: [92, 92, 92, 92, 92], wire: Wire::Bool, field: &p::P_WEB_USE_BACKGROUND },
        ORow { bits: [93, 93, 93, 93, 93], wire: Wire::Str, field: &p::P_USER_AGENT },
    ],
];
/// Overte: ParticleEffect (types 8).
static OVERTE_PARTICLE_EFFECT: &[&[ORow]] = &[
    &[
        ORow { bits: [73, 73, 73, 73, 73], wire: Wire::E8, field: &p::P_SHAPE_TYPE },
        ORow { bits: [74, 74, 74, 74, 74], wire: Wire::Str, field: &p::P_COMPOUND_SHAPE_URL },
        ORow { bits: [75, 75, 75, 75, 75], wire: Wire::Rgb, field: &p::P_COLOR },
        ORow { bits: [76, 76, 76, 76, 76], wire: Wire::F32, field: &p::P_ALPHA },
    ],
    OVERTE_PULSE,
    &[
        ORow { bits: [83, 83, 83, 83, 84], wire: Wire::Str, field: &p::P_TEXTURES },
        ORow { bits: [85, 85, 85, 85, 86], wire: Wire::U32, field: &p::P_MAX_PARTICLES },
        ORow { bits: [86, 86, 86, 86, 87], wire: Wire::F32, field: &p::P_LIFESPAN },
        ORow { bits: [87, 87, 87, 87, 88], wire: Wire::Bool, field: &p::P_EMITTING_PARTICLES },
        ORow { bits: [88, 88, 88, 88, 89], wire: Wire::F32, field: &p::P_EMIT_RATE },
        ORow { bits: [89, 89, 89, 89, 90], wire: Wire::F32, field: &p::P_EMIT_SPEED },
        ORow { bits: [90, 90, 90, 90, 91], wire: Wire::F32, field: &p::P_SPEED_SPREAD },
        ORow { bits: [91, 91, 91, 91, 92], wire: Wire::Quat, field: &p::P_EMIT_ORIENTATION },
        ORow { bits: [92, 92, 92, 92, 93], wire: Wire::Vec3, field: &p::P_EMIT_DIMENSIONS },
        ORow { bits: [93, 93, 93, 93, 94], wire: Wire::F32, field: &p::P_EMIT_RADIUS_START },
        ORow { bits: [94, 94, 94, 94, 95], wire: Wire::F32, field: &p::P_POLAR_START },
        ORow { bits: [95, 95, 95, 95, 96], wire: Wire::F32, field: &p::P_POLAR_FINISH },
        ORow { bits: [96, 96, 96, 96, 97], wire: Wire::F32, field: &p::P_AZIMUTH_START },
        ORow { bits: [97, 97, 97, 97, 98], wire: Wire::F32, field: &p::P_AZIMUTH_FINISH },
        ORow { bits: [98, 98, 98, 98, 99], wire: Wire::Vec3, field: &p::P_EMIT_ACCELERATION },
        ORow { bits: [99, 99, 99, 99, 100], wire: Wire::Vec3, field: &p::P_ACCELERATION_SPREAD },
        ORow { bits: [100, 100, 100, 100, 101], wire: Wire::F32, field: &p::P_PARTICLE_RADIUS },
        ORow { bits: [101, 101, 101, 101, 102], wire: Wire::F32, field: &p::P_RADIUS_SPREAD },
        ORow { bits: [102, 102, 102, 102, 103], wire: Wire::F32, field: &p::P_RADIUS_START },
        ORow { bits: [103, 103, 103, 103, 104], wire: Wire::F32, field: &p::P_RADIUS_FINISH },
        ORow { bits: [104, 104, 104, 104, 105], wire: Wire::Rgb, field: &p::P_COLOR_SPREAD },
        ORow { bits: [105, 105, 105, 105, 106], wire: Wire::Vec3, field: &p::P_COLOR_START },
        ORow { bits: [106, 106, 106, 106, 107], wire: Wire::Vec3, field: &p::P_COLOR_FINISH },
        ORow { bits: [107, 107, 107, 107, 108], wire: Wire::F32, field: &p::P_ALPHA_SPREAD },
        ORow { bits: [108, 108, 108, 108, 109], wire: Wire::F32, field: &p::P_ALPHA_START },
        ORow { bits: [109, 109, 109, 109, 110], wire: Wire::F32, field: &p::P_ALPHA_FINISH },
        ORow { bits: [110, 110, 110, 110, 111], wire: Wire::Bool, field: &p::P_EMITTER_SHOULD_TRAIL },
        ORow { bits: [111, 111, 111, 111, 112], wire: Wire::F32, field: &p::P_PARTICLE_SPIN },
        ORow { bits: [112, 112, 112, 112, 113], wire: Wire::F32, field: &p::P_SPIN_SPREAD },
        ORow { bits: [113, 113, 113, 113, 114], wire: Wire::F32, field: &p::P_SPIN_START },
        ORow { bits: [114, 114, 114, 114, 115], wire: Wire::F32, field: &p::P_SPIN_FINISH },
        ORow { bits: [115, 115, 115, 115, 116], wire: Wire::Bool, field: &p::P_PARTICLE_ROTATE_WITH_ENTITY },
    ],
];
/// Overte: ProceduralParticleEffect (types 9).
static OVERTE_PROCEDURAL_PARTICLE_EFFECT: &[&[ORow]] = &[&[
    ORow { bits: [85, 85, 85, 85, 86], wire: Wire::U32, field: &p::P_PROCEDURAL_PARTICLE_NUM_PARTICLES },
    ORow { bits: [86, 86, 86, 86, 87], wire: Wire::U8, field: &p::P_PROCEDURAL_PARTICLE_NUM_TRIS_PER },
    ORow { bits: [87, 87, 87, 87, 88], wire: Wire::U8, field: &p::P_PROCEDURAL_PARTICLE_NUM_UPDATE_PROPS },
    ORow { bits: [88, 88, 88, 88, 89], wire: Wire::Bool, field: &p::P_PROCEDURAL_PARTICLE_TRANSPARENT },
    ORow { bits: [89, 89, 89, 89, 90], wire: Wire::Str, field: &p::P_PROCEDURAL_PARTCILE_UPDATE_DATA },
    ORow { bits: [90, 90, 90, 90, 91], wire: Wire::Str, field: &p::P_PROCEDURAL_PARTCILE_RENDER_DATA },
]];
/// Overte: Line (types 10).
static OVERTE_LINE: &[&[ORow]] = &[&[
    ORow { bits: [75, 75, 75, 75, 75], wire: Wire::Rgb, field: &p::P_COLOR },
    ORow { bits: [84, 84, 84, 84, 85], wire: Wire::VecVec3, field: &p::P_LINE_POINTS },
]];
/// Overte: PolyLine (types 11).
static OVERTE_POLY_LINE: &[&[ORow]] = &[&[
    ORow { bits: [75, 75, 75, 75, 75], wire: Wire::Rgb, field: &p::P_COLOR },
    ORow { bits: [83, 83, 83, 83, 84], wire: Wire::Str, field: &p::P_TEXTURES },
    ORow { bits: [84, 84, 84, 84, 85], wire: Wire::VecVec3, field: &p::P_LINE_POINTS },
    ORow { bits: [85, 85, 85, 85, 86], wire: Wire::VecF32, field: &p::P_STROKE_WIDTHS },
    ORow { bits: [86, 86, 86, 86, 87], wire: Wire::VecVec3, field: &p::P_STROKE_NORMALS },
    ORow { bits: [87, 87, 87, 87, 88], wire: Wire::VecVec3, field: &p::P_STROKE_COLORS },
    ORow { bits: [88, 88, 88, 88, 89], wire: Wire::Bool, field: &p::P_IS_UV_MODE_STRETCH },
    ORow { bits: [89, 89, 89, 89, 90], wire: Wire::Bool, field: &p::P_LINE_GLOW },
    ORow { bits: [90, 90, 90, 90, 91], wire: Wire::Bool, field: &p::P_LINE_FACE_CAMERA },
]];
/// Overte: PolyVox (types 12).
static OVERTE_POLY_VOX: &[&[ORow]] = &[&[
    ORow { bits: [85, 85, 85, 85, 86], wire: Wire::Vec3, field: &p::P_VOXEL_VOLUME_SIZE },
    ORow { bits: [86, 86, 86, 86, 87], wire: Wire::Bytes, field: &p::P_VOXEL_DATA },
    ORow { bits: [87, 87, 87, 87, 88], wire: Wire::U16, field: &p::P_VOXEL_SURFACE_STYLE },
    ORow { bits: [88, 88, 88, 88, 89], wire: Wire::Str, field: &p::P_X_TEXTURE_URL },
    ORow { bits: [89, 89, 89, 89, 90], wire: Wire::Str, field: &p::P_Y_TEXTURE_URL },
    ORow { bits: [90, 90, 90, 90, 91], wire: Wire::Str, field: &p::P_Z_TEXTURE_URL },
    ORow { bits: [91, 91, 91, 91, 92], wire: Wire::Uuid, field: &p::P_X_N_NEIGHBOR_ID },
    ORow { bits: [92, 92, 92, 92, 93], wire: Wire::Uuid, field: &p::P_Y_N_NEIGHBOR_ID },
    ORow { bits: [93, 93, 93, 93, 94], wire: Wire::Uuid, field: &p::P_Z_N_NEIGHBOR_ID },
    ORow { bits: [94, 94, 94, 94, 95], wire: Wire::Uuid, field: &p::P_X_P_NEIGHBOR_ID },
    ORow { bits: [95, 95, 95, 95, 96], wire: Wire::Uuid, field: &p::P_Y_P_NEIGHBOR_ID },
    ORow { bits: [96, 96, 96, 96, 97], wire: Wire::Uuid, field: &p::P_Z_P_NEIGHBOR_ID },
]];
/// Overte: Grid (types 13).
static OVERTE_GRID: &[&[ORow]] = &[
    &[
        ORow { bits: [75, 75, 75, 75, 75], wire: Wire::Rgb, field: &p::P_COLOR },
        ORow { bits: [76, 76, 76, 76, 76], wire: Wire::F32, field: &p::P_ALPHA },
    ],
    OVERTE_PULSE,
    &[
        ORow { bits: [85, 85, 85, 85, 86], wire: Wire::Bool, field: &p::P_GRID_FOLLOW_CAMERA },
        ORow { bits: [86, 86, 86, 86, 87], wire: Wire::U32, field: &p::P_MAJOR_GRID_EVERY },
        ORow { bits: [87, 87, 87, 87, 88], wire: Wire::F32, field: &p::P_MINOR_GRID_EVERY },
    ],
];
/// Overte: Gizmo (types 14).
static OVERTE_GIZMO: &[&[ORow]] = &[&[
    ORow { bits: [85, 85, 85, 85, 86], wire: Wire::E8, field: &p::P_GIZMO_TYPE },
    ORow { bits: [86, 86, 86, 86, 87], wire: Wire::F32, field: &p::P_START_ANGLE },
    ORow { bits: [87, 87, 87, 87, 88], wire: Wire::F32, field: &p::P_END_ANGLE },
    ORow { bits: [88, 88, 88, 88, 89], wire: Wire::F32, field: &p::P_INNER_RADIUS },
    ORow { bits: [89, 89, 89, 89, 90], wire: Wire::Rgb, field: &p::P_INNER_START_COLOR },
    ORow { bits: [90, 90, 90, 90, 91], wire: Wire::Rgb, field: &p::P_INNER_END_COLOR },
    ORow { bits: [91, 91, 91, 91, 92], wire: Wire::Rgb, field: &p::P_OUTER_START_COLOR },
    ORow { bits: [92, 92, 92, 92, 93], wire: Wire::Rgb, field: &p::P_OUTER_END_COLOR },
    ORow { bits: [93, 93, 93, 93, 94], wire: Wire::F32, field: &p::P_INNER_START_ALPHA },
    ORow { bits: [94, 94, 94, 94, 95], wire: Wire::F32, field: &p::P_INNER_END_ALPHA },
    ORow { bits: [95, 95, 95, 95, 96], wire: Wire::F32, field: &p::P_OUTER_START_ALPHA },
    ORow { bits: [96, 96, 96, 96, 97], wire: Wire::F32, field: &p::P_OUTER_END_ALPHA },
    ORow { bits: [97, 97, 97, 97, 98], wire: Wire::Bool, field: &p::P_HAS_TICK_MARKS },
    ORow { bits: [98, 98, 98, 98, 99], wire: Wire::F32, field: &p::P_MAJOR_TICK_MARKS_ANGLE },
    ORow { bits: [99, 99, 99, 99, 100], wire: Wire::F32, field: &p::P_MINOR_TICK_MARKS_ANGLE },
    ORow { bits: [100, 100, 100, 100, 101], wire: Wire::F32, field: &p::P_MAJOR_TICK_MARKS_LENGTH },
    ORow { bits: [101, 101, 101, 101, 102], wire: Wire::F32, field: &p::P_MINOR_TICK_MARKS_LENGTH },
    ORow { bits: [102, 102, 102, 102, 103], wire: Wire::Rgb, field: &p::P_MAJOR_TICK_MARKS_COLOR },
    ORow { bits: [103, 103, 103, 103, 104], wire: Wire::Rgb, field: &p::P_MINOR_TICK_MARKS_COLOR },
]];
/// Overte: Light (types 15).
static OVERTE_LIGHT: &[&[ORow]] = &[&[
    ORow { bits: [75, 75, 75, 75, 75], wire: Wire::Rgb, field: &p::P_COLOR },
    ORow { bits: [85, 85, 85, 85, 86], wire: Wire::Bool, field: &p::P_IS_SPOTLIGHT },
    ORow { bits: [86, 86, 86, 86, 87], wire: Wire::F32, field: &p::P_INTENSITY },
    ORow { bits: [87, 87, 87, 87, 88], wire: Wire::F32, field: &p::P_EXPONENT },
    ORow { bits: [88, 88, 88, 88, 89], wire: Wire::F32, field: &p::P_CUTOFF },
    ORow { bits: [89, 89, 89, 89, 90], wire: Wire::F32, field: &p::P_FALLOFF_RADIUS },
]];
/// Overte: Zone (types 16).
static OVERTE_ZONE: &[&[ORow]] = &[&[
    ORow { bits: [73, 73, 73, 73, 73], wire: Wire::E8, field: &p::P_SHAPE_TYPE },
    ORow { bits: [74, 74, 74, 74, 74], wire: Wire::Str, field: &p::P_COMPOUND_SHAPE_URL },
    ORow { bits: [85, 85, 85, 85, 86], wire: Wire::Rgb, field: &p::P_KEYLIGHT_COLOR },
    ORow { bits: [86, 86, 86, 86, 87], wire: Wire::F32, field: &p::P_KEYLIGHT_INTENSITY },
    ORow { bits: [87, 87, 87, 87, 88], wire: Wire::Vec3, field: &p::P_KEYLIGHT_DIRECTION },
    ORow { bits: [88, 88, 88, 88, 89], wire: Wire::Bool, field: &p::P_KEYLIGHT_CAST_SHADOW },
    ORow { bits: [89, 89, 89, 89, 90], wire: Wire::F32, field: &p::P_KEYLIGHT_SHADOW_BIAS },
    ORow { bits: [90, 90, 90, 90, 91], wire: Wire::F32, field: &p::P_KEYLIGHT_SHADOW_MAX_DISTANCE },
    ORow { bits: [91, 91, 91, 91, 92], wire: Wire::F32, field: &p::P_AMBIENT_LIGHT_INTENSITY },
    ORow { bits: [92, 92, 92, 92, 93], wire: Wire::Str, field: &p::P_AMBIENT_LIGHT_URL },
    ORow { bits: [93, 93, 93, 93, 94], wire: Wire::Rgb, field: &p::P_AMBIENT_LIGHT_COLOR },
    ORow { bits: [94, 94, 94, 94, 95], wire: Wire::Rgb, field: &p::P_SKYBOX_COLOR },
    ORow { bits: [95, 95, 95, 95, 96], wire: Wire::Str, field: &p::P_SKYBOX_URL },
    ORow { bits: [96, 96, 96, 96, 97], wire: Wire::F32, field: &p::P_HAZE_RANGE },
    ORow { bits: [97, 97, 97, 97, 98], wire: Wire::Rgb, field: &p::P_HAZE_COLOR },
    ORow { bits: [98, 98, 98, 98, 99], wire: Wire::Rgb, field: &p::P_HAZE_GLARE_COLOR },
    ORow { bits: [99, 99, 99, 99, 100], wire: Wire::Bool, field: &p::P_HAZE_ENABLE_GLARE },
    ORow { bits: [100, 100, 100, 100, 101], wire: Wire::F32, field: &p::P_HAZE_GLARE_ANGLE },
    ORow { bits: [101, 101, 101, 101, 102], wire: Wire::Bool, field: &p::P_HAZE_ALTITUDE_EFFECT },
    ORow { bits: [102, 102, 102, 102, 103], wire: Wire::F32, field: &p::P_HAZE_CEILING },
    ORow { bits: [103, 103, 103, 103, 104], wire: Wire::F32, field: &p::P_HAZE_BASE_REF },
    ORow { bits: [104, 104, 104, 104, 105], wire: Wire::F32, field: &p::P_HAZE_BACKGROUND_BLEND },
    ORow { bits: [105, 105, 105, 105, 106], wire: Wire::Bool, field: &p::P_HAZE_ATTENUATE_KEYLIGHT },
    ORow { bits: [106, 106, 106, 106, 107], wire: Wire::F32, field: &p::P_HAZE_KEYLIGHT_RANGE },
    ORow { bits: [107, 107, 107, 107, 108], wire: Wire::F32, field: &p::P_HAZE_KEYLIGHT_ALTITUDE },
    ORow { bits: [108, 108, 108, 108, 109], wire: Wire::F32, field: &p::P_BLOOM_INTENSITY },
    ORow { bits: [109, 109, 109, 109, 110], wire: Wire::F32, field: &p::P_BLOOM_THRESHOLD },
    ORow { bits: [110, 110, 110, 110, 111], wire: Wire::F32, field: &p::P_BLOOM_SIZE },
    ORow { bits: [111, 111, 111, 111, 112], wire: Wire::Bool, field: &p::P_REVERB_ENABLED },
    ORow { bits: [112, 112, 112, 112, 113], wire: Wire::F32, field: &p::P_REVERB_TIME },
    ORow { bits: [113, 113, 113, 113, 114], wire: Wire::F32, field: &p::P_REVERB_WET_LEVEL },
    ORow { bits: [114, 114, 114, 114, 115], wire: Wire::Zones, field: &p::P_LISTENER_ZONES },
    ORow { bits: [115, 115, 115, 115, 116], wire: Wire::VecF32, field: &p::P_LISTENER_ATTENUATION_COEFFICIENTS },
    ORow { bits: [116, 116, 116, 116, 117], wire: Wire::E8, field: &p::P_TONEMAPPING_CURVE },
    ORow { bits: [117, 117, 117, 117, 118], wire: Wire::F32, field: &p::P_TONEMAPPING_EXPOSURE },
    ORow { bits: [118, 118, 118, 118, 119], wire: Wire::E8, field: &p::P_AMBIENT_OCCLUSION_TECHNIQUE },
    ORow { bits: [119, 119, 119, 119, 120], wire: Wire::Bool, field: &p::P_AMBIENT_OCCLUSION_JITTER },
    ORow { bits: [120, 120, 120, 120, 121], wire: Wire::U8, field: &p::P_AMBIENT_OCCLUSION_RESOLUTION_LEVEL },
    ORow { bits: [121, 121, 121, 121, 122], wire: Wire::F32, field: &p::P_AMBIENT_OCCLUSION_EDGE_SHARPNESS },
    ORow { bits: [122, 122, 122, 122, 123], wire: Wire::U8, field: &p::P_AMBIENT_OCCLUSION_BLUR_RADIUS },
    ORow { bits: [123, 123, 123, 123, 124], wire: Wire::F32, field: &p::P_AMBIENT_OCCLUSION_AO_RADIUS },
    ORow { bits: [124, 124, 124, 124, 125], wire: Wire::F32, field: &p::P_AMBIENT_OCCLUSION_AO_OBSCURANCE_LEVEL },
    ORow { bits: [125, 125, 125, 125, 126], wire: Wire::F32, field: &p::P_AMBIENT_OCCLUSION_AO_FALLOFF_ANGLE },
    ORow { bits: [126, 126, 126, 126, 127], wire: Wire::F32, field: &p::P_AMBIENT_OCCLUSION_AO_SAMPLING_AMOUNT },
    ORow { bits: [127, 127, 127, 127, 128], wire: Wire::F32, field: &p::P_AMBIENT_OCCLUSION_SSAO_NUM_SPIRAL_TURNS },
    ORow { bits: [0, 0, 128, 128, 129], wire: Wire::F32, field: &p::P_NORMAL_MAP_ATTENUATION_MIN },
    ORow { bits: [0, 0, 129, 129, 130], wire: Wire::F32, field: &p::P_NORMAL_MAP_ATTENUATION_MAX },
    ORow { bits: [128, 128, 130, 130, 131], wire: Wire::Bool, field: &p::P_FLYING_ALLOWED },
    ORow { bits: [129, 129, 131, 131, 132], wire: Wire::Bool, field: &p::P_GHOSTING_ALLOWED },
    ORow { bits: [130, 130, 132, 132, 133], wire: Wire::Str, field: &p::P_FILTER_URL },
    ORow { bits: [131, 131, 133, 133, 134], wire: Wire::E8, field: &p::P_KEY_LIGHT_MODE },
    ORow { bits: [132, 132, 134, 134, 135], wire: Wire::E8, field: &p::P_AMBIENT_LIGHT_MODE },
    ORow { bits: [133, 133, 135, 135, 136], wire: Wire::E8, field: &p::P_SKYBOX_MODE },
    ORow { bits: [134, 134, 136, 136, 137], wire: Wire::E8, field: &p::P_HAZE_MODE },
    ORow { bits: [135, 135, 137, 137, 138], wire: Wire::E8, field: &p::P_BLOOM_MODE },
    ORow { bits: [136, 136, 138, 138, 139], wire: Wire::E8, field: &p::P_AVATAR_PRIORITY },
    ORow { bits: [137, 137, 139, 139, 140], wire: Wire::E8, field: &p::P_TONEMAPPING_MODE },
    ORow { bits: [138, 138, 140, 140, 141], wire: Wire::E8, field: &p::P_AMBIENT_OCCLUSION_MODE },
    ORow { bits: [0, 0, 141, 141, 142], wire: Wire::E8, field: &p::P_NORMAL_MAP_ATTENUATION_MODE },
]];
/// Overte: Material (types 17).
static OVERTE_MATERIAL: &[&[ORow]] = &[&[
    ORow { bits: [85, 85, 85, 85, 86], wire: Wire::Str, field: &p::P_MATERIAL_URL },
    ORow { bits: [86, 86, 86, 86, 87], wire: Wire::E8, field: &p::P_MATERIAL_MAPPING_MODE },
    ORow { bits: [87, 87, 87, 87, 88], wire: Wire::U16, field: &p::P_MATERIAL_PRIORITY },
    ORow { bits: [88, 88, 88, 88, 89], wire: Wire::Str, field: &p::P_PARENT_MATERIAL_NAME },
    ORow { bits: [89, 89, 89, 89, 90], wire: Wire::Vec2, field: &p::P_MATERIAL_MAPPING_POS },
    ORow { bits: [90, 90, 90, 90, 91], wire: Wire::Vec2, field: &p::P_MATERIAL_MAPPING_SCALE },
    ORow { bits: [91, 91, 91, 91, 92], wire: Wire::F32, field: &p::P_MATERIAL_MAPPING_ROT },
    ORow { bits: [92, 92, 92, 92, 93], wire: Wire::Str, field: &p::P_MATERIAL_DATA },
    ORow { bits: [93, 93, 93, 93, 94], wire: Wire::Bool, field: &p::P_MATERIAL_REPEAT },
]];
/// Overte: Sound (types 18).
static OVERTE_SOUND: &[&[ORow]] = &[&[
    ORow { bits: [85, 85, 85, 85, 86], wire: Wire::Str, field: &p::P_SOUND_URL },
    ORow { bits: [86, 86, 86, 86, 87], wire: Wire::F32, field: &p::P_SOUND_VOLUME },
    ORow { bits: [87, 87, 87, 87, 88], wire: Wire::F32, field: &p::P_SOUND_TIME_OFFSET },
    ORow { bits: [88, 88, 88, 88, 89], wire: Wire::F32, field: &p::P_SOUND_PITCH },
    ORow { bits: [89, 89, 89, 89, 90], wire: Wire::Bool, field: &p::P_SOUND_PLAYING },
    ORow { bits: [90, 90, 90, 90, 91], wire: Wire::Bool, field: &p::P_SOUND_LOOP },
    ORow { bits: [91, 91, 91, 91, 92], wire: Wire::Bool, field: &p::P_SOUND_POSITIONAL },
    ORow { bits: [92, 92, 92, 92, 93], wire: Wire::Bool, field: &p::P_SOUND_LOCAL_ONLY },
]];
/// Overte: Empty (types 19).
static OVERTE_EMPTY: &[&[ORow]] = &[];
/// Overte: Script (types 20).
static OVERTE_SCRIPT: &[&[ORow]] = &[&[
    ORow { bits: [0, 0, 0, 0, 78], wire: Wire::Str, field: &p::P_SCRIPT_URL },
    ORow { bits: [0, 0, 0, 0, 86], wire: Wire::Bool, field: &p::P_SCRIPT_ENABLED },
]];
/// Overte: each entity type's own section, by type number (Empty's is empty).
/// Overte: the pulse group (deprecated) where a type has it.
static OVERTE_PULSE: &[ORow] = &[
    ORow { bits: [78, 78, 78, 78, 79], wire: Wire::F32, field: &p::P_PULSE_MIN },
    ORow { bits: [79, 79, 79, 79, 80], wire: Wire::F32, field: &p::P_PULSE_MAX },
    ORow { bits: [80, 80, 80, 80, 81], wire: Wire::F32, field: &p::P_PULSE_PERIOD },
    ORow { bits: [81, 81, 81, 81, 82], wire: Wire::E8, field: &p::P_PULSE_COLOR_MODE },
    ORow { bits: [82, 82, 82, 82, 83], wire: Wire::E8, field: &p::P_PULSE_ALPHA_MODE },
];
pub(super) static OVERTE_TYPES: &[(u64, &[&[ORow]])] = &[
    (1, OVERTE_SHAPE),
    (2, OVERTE_SHAPE),
    (3, OVERTE_SHAPE),
    (4, OVERTE_MODEL),
    (5, OVERTE_TEXT),
    (6, OVERTE_IMAGE),
    (7, OVERTE_WEB),
    (8, OVERTE_PARTICLE_EFFECT),
    (9, OVERTE_PROCEDURAL_PARTICLE_EFFECT),
    (10, OVERTE_LINE),
    (11, OVERTE_POLY_LINE),
    (12, OVERTE_POLY_VOX),
    (13, OVERTE_GRID),
    (14, OVERTE_GIZMO),
    (15, OVERTE_LIGHT),
    (16, OVERTE_ZONE),
    (17, OVERTE_MATERIAL),
    (18, OVERTE_SOUND),
    (19, OVERTE_EMPTY),
    (20, OVERTE_SCRIPT),
];
