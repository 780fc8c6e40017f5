//! Field keys and findings of the entity server (octree) payloads.

use udpdissect_core::{ExpertGroup, ExpertInfo, FieldInfo, FieldKind as K, Severity};

macro_rules! fields {
    ($($name:ident $key:literal $label:literal $kind:ident $desc:literal;)*) => {
        $(pub(crate) static $name: FieldInfo = FieldInfo::new($key, $label, K::$kind, $desc);)*
        /// Every field of this module.
        pub(crate) static ALL: &[&FieldInfo] = &[$(&$name),*];
    };
}

fields! {
    FLAGS "overte.octree.flags" "Octree packet flags" Hex "OCTREE_PACKET_FLAGS (u8): 0x80 colored, 0x40 compressed";
    COMPRESSED "overte.octree.compressed" "Compressed" Bool "flags bit 0x40: each section is u16 LE length + qCompress data";
    SEQUENCE "overte.octree.sequence" "Sequence" Unsigned "OCTREE_PACKET_SEQUENCE (u16 LE)";
    SENT_TIME "overte.octree.sent_time" "Sent time" Unsigned "OCTREE_PACKET_SENT_TIME (u64 LE, usec since epoch)";
    SECTION "overte.octree.section" "Section" None "one section of an octree packet";
    SECTION_LENGTH "overte.octree.section_length" "Section length" Unsigned "OCTREE_PACKET_INTERNAL_SECTION_SIZE (u16 LE)";
    UNCOMPRESSED_SIZE "overte.octree.uncompressed_size" "Uncompressed size" Unsigned "qCompress header (u32 BE)";
    ZLIB "overte.octree.zlib" "Compressed data" Bytes "zlib stream of the section";
    IGNORED "overte.octree.ignored" "Ignored bytes" Bytes "bytes the receiver skips (too few for the masks)";
    OCTAL_CODE "overte.octree.octal_code" "Octal code" Bytes "octal code: count of 3-bit sections (255 continues), then the sections";
    OCTAL_DEPTH "overte.octree.octal_depth" "Octal code depth" Unsigned "number of 3-bit sections in the octal code";
    ELEMENT "overte.octree.element" "Element" None "an octree element's data";
    COLOR_MASK "overte.octree.color_mask" "Color mask" Hex "colorInPacketMask (u8): children whose element data follows";
    TREE_MASK "overte.octree.children_in_tree_mask" "Children in tree" Hex "childrenInTreeMask (u8)";
    BUFFER_MASK "overte.octree.child_in_buffer_mask" "Children in buffer" Hex "childInBufferMask (u8): children whose subtree follows";
    EXIT_SEQUENCE "overte.octree.exit_sequence" "Exit sequence" Unsigned "EntityQueryInitialResultsComplete: the octree sequence number after the initial results (u16 LE)";
    NACK_SEQUENCE "overte.octree.nack_sequence" "Missing sequence" Unsigned "a sequence number the receiver asks again for (u16 LE)";
    ENTITY_COUNT "overte.entity.count" "Entity count" Unsigned "number of entities in the element (u16 LE)";
    ENTITY "overte.entity.entity" "Entity" Uuid "one entity record";
    EDIT "overte.entity.edit" "Edit" None "one edit message (EntityAdd, EntityEdit, EntityPhysics)";
    ID "overte.entity.id" "Entity ID" Uuid "entity ID (16 bytes, RFC 4122 order)";
    TYPE "overte.entity.type" "Entity type" Enum "EntityTypes::EntityType (ByteCountCoded)";
    CREATED "overte.entity.created" "Created" Unsigned "creation time (u64 LE, usec)";
    LAST_EDITED "overte.entity.last_edited" "Last edited" Unsigned "last edit time (u64 LE, usec)";
    UPDATE_DELTA "overte.entity.update_delta" "Update delta" Unsigned "last updated - last edited (ByteCountCoded, usec)";
    SIMULATED_DELTA "overte.entity.simulated_delta" "Simulated delta" Unsigned "last simulated - last edited (ByteCountCoded, usec)";
    PROPERTY_FLAGS "overte.entity.property_flags" "Property flags" String "EntityPropertyFlags (ByteCountCoded bit set), by name";
    PROPERTIES_DATA "overte.entity.properties_data" "Properties data" Bytes "property values of a version or entity type whose property list is not known";
    SIMULATION_OWNER "overte.entity.simulation_owner" "Simulation owner" Bytes "PROP_SIMULATION_OWNER (u16 LE length + bytes)";
    PARENT_ID "overte.entity.parent_id" "Parent ID" Uuid "PROP_PARENT_ID (u16 LE length + RFC 4122 bytes; length 0 is null)";
    PARENT_JOINT "overte.entity.parent_joint_index" "Parent joint" Unsigned "PROP_PARENT_JOINT_INDEX (u16 LE)";
    VISIBLE "overte.entity.visible" "Visible" Bool "PROP_VISIBLE (u8)";
    NAME "overte.entity.name" "Name" String "PROP_NAME (u16 LE length + UTF-8)";
    LOCKED "overte.entity.locked" "Locked" Bool "PROP_LOCKED (u8)";
    USER_DATA "overte.entity.user_data" "User data" String "PROP_USER_DATA (u16 LE length + UTF-8)";
    PRIVATE_USER_DATA "overte.entity.private_user_data" "Private user data" String "PROP_PRIVATE_USER_DATA (u16 LE length + UTF-8)";
    HREF "overte.entity.href" "Href" String "PROP_HREF (u16 LE length + UTF-8)";
    DESCRIPTION "overte.entity.description" "Description" String "PROP_DESCRIPTION (u16 LE length + UTF-8)";
    POSITION "overte.entity.position" "Position" String "PROP_POSITION (3 x f32 LE)";
    DIMENSIONS "overte.entity.dimensions" "Dimensions" String "PROP_DIMENSIONS (3 x f32 LE)";
    ROTATION "overte.entity.rotation" "Rotation" String "PROP_ROTATION (4 x u16 LE packed x, y, z, w)";
    REGISTRATION "overte.entity.registration_point" "Registration point" String "PROP_REGISTRATION_POINT (3 x f32 LE)";
    CREATED_PROP "overte.entity.created_property" "Created (property)" Unsigned "PROP_CREATED (u64 LE, usec)";
    LAST_EDITED_BY "overte.entity.last_edited_by" "Last edited by" Uuid "PROP_LAST_EDITED_BY (u16 LE length + RFC 4122 bytes)";
    QUERY_AA_CUBE "overte.entity.query_aa_cube" "Query AA cube" String "PROP_QUERY_AA_CUBE (corner 3 x f32 LE, scale f32 LE)";
    CAN_CAST_SHADOW "overte.entity.can_cast_shadow" "Can cast shadow" Bool "PROP_CAN_CAST_SHADOW (u8)";
    RENDER_LAYER "overte.entity.render_layer" "Render layer" Enum "PROP_RENDER_LAYER (enumeration: u32 LE to version 144, u8 from 145)";
    PRIMITIVE_MODE "overte.entity.primitive_mode" "Primitive mode" Enum "PROP_PRIMITIVE_MODE (enumeration: u32 LE to version 144, u8 from 145)";
    IGNORE_PICK "overte.entity.ignore_pick_intersection" "Ignore pick intersection" Bool "PROP_IGNORE_PICK_INTERSECTION (u8)";
    RENDER_WITH_ZONES "overte.entity.render_with_zones" "Render with zones" Unsigned "PROP_RENDER_WITH_ZONES: count (u16 LE) of raw QUuids";
    RENDER_ZONE "overte.entity.render_with_zone" "Zone" Uuid "one QUuid as laid out in memory (data1, data2, data3 LE)";
    BILLBOARD_MODE "overte.entity.billboard_mode" "Billboard mode" Enum "PROP_BILLBOARD_MODE (enumeration: u32 LE to version 144, u8 from 145)";
    ERASE_COUNT "overte.entity.erase_count" "Erase count" Unsigned "number of entity IDs (u16 LE)";
    ERASED_ID "overte.entity.erased_id" "Erased entity" Uuid "ID of an entity to erase (RFC 4122)";
    CLONE_ID "overte.entity.clone_id" "Entity to clone" Uuid "ID of the entity to clone (RFC 4122)";
    NEW_ID "overte.entity.new_id" "New entity ID" Uuid "ID the clone gets (RFC 4122)";
}

pub(crate) static INFLATE_FAILED: ExpertInfo = ExpertInfo::new(
    "overte.octree.inflate_failed",
    Severity::Warn,
    ExpertGroup::Malformed,
    "a compressed octree section does not uncompress: the receiver skips it",
);

pub(crate) static UNREAD_PROPERTY: ExpertInfo = ExpertInfo::new(
    "overte.entity.unread_property",
    Severity::Warn,
    ExpertGroup::Protocol,
    "the property flags announce a property the entity's type does not have (or that is never sent): the receiver reads no value for it",
);

pub(crate) static EXPERTS: &[&ExpertInfo] = &[&INFLATE_FAILED, &UNREAD_PROPERTY];
