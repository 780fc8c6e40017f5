//! The entity payloads against the web SDK's captured EntityData packets (payloads only: the
//! vectors start at the octree flags byte) and edits built with the reprs' `emit`.

use udpdissect_core::{Dissection, Value};

use super::*;
use crate::payload::tests::{decode as run, hex, run_mode, tags, val};
use crate::payload::Decoded;

/// web-sdk `EntityData.unit.test.js` payloads.
/// (test name, payload hex, entities the SDK reads, [(entity ID, entity type)]).
type Vector = (&'static str, &'static str, usize, &'static [(&'static str, u64)]);

pub(super) const VECTORS: &[Vector] = &[
    (
        "Can read a Model entity in a packet",
        "c030005f878ad79fe105001a010000023378da636030666064c85cb6c2caff93d3df6969e6756d5c5ab7041666755d9fff909501462b28fcff67ffffec7f30f86121ffff9f200316f0ff3f324f6d8783bd898afbc18dab2d1cce9e39630bc3ffebc110a4d61e86611609303c58b88a79238b4bd94a758d152c2faf784de8d1b27fdbe671f08c82b1c39a18433b46744b198122288248e663156bb047606450e5c2403e80faa4613f833c5c6c9a337e3da0c0c423c7c090c090515252506ca5af9f9c92a76ba8579659949c989299a8979c9fab5f5aac9baa6ba8ef9458959858a4ef585c9c5a52acef9b9f929a53acef969f9fa29f94595492919258199f9c989daa9f9e5392862aa4979e93843d345818aab96ab92081fac11112ca6032e0b03b03002d4487fd",
        1,
        &[("69a6a83a-4ff2-42fd-9666-377e860a2ada", 4)],
    ),
    (
        "Can read two Model entities in a packet",
        "c001009ea50eda06e205005b010000036978da636050666062300eb0689394727c3225e04358aa439fbac09b844307d81eb1329cfb7f184c3330fcffc700023cafffffff61210fe56107f610dcb05f1e2632cd99012ff80f0478e418181218324a4a0a8aadf4f59353f2740df5ca328b9213533213f592f373f54b8b7553750df59d12ab12138bf41d8b8b534b8af57df35352738af5ddf2f353f493328b4a3252122be39313b353f5d3734ad25085f4d2739280eeb54760186061a8e6aae56204b33f3882290827e0b03b839eda2b8b83af3d16b708ec7bb87a65c40301979f61bb40a1953d2362172cd4ecff9ffd0f06e05013c4ee4346249ec88225fbd59c980f7c7052de7fe8fa363ba6a7c2769b666fb3fb5f0f86ff1101cc600fb35080c1f3e0aca34f845d2b1b5e2ce89ce2729ad1c4f2d8fe6d7c22070c4ad3f6d7a7b0d933a25bcac808f30acc1508f3b18a610b1e10a87261201fc0930a033cad0cd3c40200c4f1cf28",
        2,
        &[("33503886-191a-41e4-9450-f05665408e27", 4), ("2e26ea38-c1eb-48a3-8410-bee1aba958e0", 4)],
    ),
    (
        "Can read a Model entity and a Shape entity in the same packet",
        "c0000000c6026c9ae30500a401000003f578da63606002c22d6f12ee9beff07cd53d5b9281cbf2ce64812487db69b31eb33214b077a683680686ffffecff9ffd0f063f2ce4ffff1364c002feff67e460484ecc4ed5cdcf4b858bc61eb8becf28eff4fe13811ef687ae6fb3637a2a6cb769f636bbfff560f81fa8c41e8661160b3008a89dbe9b22e291b8bf63e622e9b7f697f284f4f707b1bfdddf21cf6a5f9fc266cf886e392350044510c97cac620df6088c0caa5c18c807509f34ec6790878b4d73c6af0714a878e418181218324a4a0a8aadf4f59353f2740df5ca328b9213533213f592f373f54b8b7553750df59d12ab12138bf41d8b8b534b8af57df35352738af5ddf2f353f493328b4a3252122be34131a39f9e5392862aa4979e93843d345818aab96ab92081fac11112ca6032e0b03b838fecb68e5dacdee15b0227bb7a6457e425ccddf51e9c58e2f802b2c089663ecfff1fffff9b4352cd03fb05b8d20c2743714662016aa231ef6cdcefad7365bfa0a296fdd9333e76308c2dd1c02cc64c3467b64cdfff20fcd5fe33937fdbad89d96837fc13cd96f708b7a1ba938321a42833312f3d27150032cbedbe",
        2,
        &[("b4ec60df-37b8-49ea-8b9b-19000a39dc93", 4), ("4c1db688-ba05-4b57-b451-9345486b786e", 3)],
    ),
    (
        "Can read a Web entity",
        "c00100dc79c06b03e6050065010000025878da636038c9c0c8e0f566ba77ea3fd70dedae7fe72d79b0e150c1ee557c37989eb132f8f4d8653203690686ff7feaffcffe0f061fe4ef3f1064c002feff6744e21db1fee592abf0cb6597dc2f97b367ced8a7a5a5d9735d57b6f95f0f86ff814aec6118669f00c3dccec3754ac51eb326ac79df5030bdfb702a50371ff32f9768c65f2e9f7ebdb26744b7941128822288643e56b1067b044606552e0ce403a84f1af633c8c3c5a639e3d7030a4b4cd12bcbaf80420ac24175a7284346494941b195be7e59665172624a66a25e727eaebe1c508a9f111c14ed0cbef95599393989faa67a060a1a3e9979a515d60a8e792945f999290a667a06d60a7ea915a5c50aa60a4ea5993929fabe418ea6167e9a0a8e050539a9e1a949de9925faa6c6e67ac6660a1ade1e21be3e3a0a3999d9a90aeea9c9d9f99a0ace1945f9b9a9fa16c67a067a268606c67a8646460abef9499939a90ac1896989459950dd00545d922c",
        1,
        &[("4aec974b-65fe-45b0-8745-fd9ea4e0b0c2", 7)],
    ),
    (
        "Can read a ParticleEffect entity",
        "c00100c8a4560358e6050021010000017d78da636038c9c0c8a034495c6ffd5957ed953b6746a728dabfe46060607810f68c95812f8283210248334ce6f8ffbf810102e4fff1ff07821f0c7000e23260007630e96257c5c0d0600f1102d130360343024346494941b195be7e724a9eaea15e59665172624a66a25e727eae7e69b16eaaaea1be536255626291be6371716a49b17e486a454969516ab1be4b6a5a62690e50c433af24b5282d3139553f0522145f90585492999c93aa579097ce0fb1c8819181e18003c8eab3677cec7457e52e676cb4fa04928038c7c1e1ec9933b685b65ef687bf9eb0ef3fc47a202dad0de44c1006cb41b08f1d10db02f5d8218b89b0723130683b3330843841e877405a03480b39c394403dfcc0fe4de00edb6a113dbb1d72acf68c0014c87322",
        1,
        &[("2292172e-afcd-452b-a9b9-995b64213fe9", 8)],
    ),
    (
        "Can read a Light entity",
        "c001004eb8bf9306e605005b000000006c78da636038c9c0c8902d1ed29cb3d5b57c09f3ba9a69ed1daa169bd2d912d99eb13274f0f74e04d10c4d02ff7f304000e3ff070a760c70f01f08183080deac798c67cfcc7188e96fb2676098eb74f64c8f3d0097c71e79",
        1,
        &[("6b175483-6cb5-4577-a403-ae7c96878825", 14)],
    ),
    (
        "Can read a Material entity",
        "c0010063b8d95f00e605002f010000026e78da636038c9c0c47031ede2d3ca692e47565b07ff56dabde69502030383c3bfa7ac0c1bf38f45313c636560e83cf3ff07030430ff7f60bf800109fc0702060cd0dfdfcfc0d0600fe18068189b81818d21b82023b52875ca533b39df7c97d6f57752fc78161933b2c0ac7db2785e34c45a83ff7feaffcffe0f061f18e43f08625a2480e1fcffff1991153854b9c0f0d933676c61f87f3d18829c6e8f84c10e1060d059b4618edb0907a64efeb4dd125f62b6edbf57e902c367d3aa5c18d19dc10814411144321fab182c4c10e102014097920fa0be68d8cf200f179be68c5f0ff6f8e361c84d2c492dca4ccc71492c4904893001fd6700093d1f3b20b64f4b4b03dae5e0a8c650ad04535cac6455ad949893949a92af64156da067a963a06701c486b1b5b58c00bfaf9a03",
        2,
        &[("d166d1e5-7996-44c4-ab3b-53fb22bbacea", 2), ("94e53e1e-4d6f-4485-afdc-644e0ca23301", 16)],
    ),
    (
        "Can read a Zone entity",
        "c0000088a9dc6128e605008e010000041d78da636038c9c0c490efda6374b2d17766d3ce95bb4f962ebe56c1c0c070427a052bc395dc706ef567ac0c0c5b36fcff7ffcffcffdffc1808d11441e1064c000020c9eda1cb70bd97cf4fab3f75e7cb03a73d3ffff8c6c0cc1d99549f9158c305535491db64ebb6aed0f4ddc7d609fbd8c1b830304c7d8ff7748b9b9b81fa8c41e09839d22c09077ddfa77918f4fe614458fed7e32ebbbd604b01fb3f0673f969ac17eec6340bb1b866318a1180efed783e17f5c620df6088c0caa5c18c807505f34ec6790878b4d73c6af0714bc0c58fd039683b9f0338be97e20b6678458a1e004c48eb20c89250556fa29f9b9899979fa79a949a53989bac5e008d02bc84b076a27a002e4df86599bff3fdd0c3476812390f070460b0c9040839db1b1b17d5a5a9a3d23349099a0183ddcd19384032c4e6f96409357d8ff1fffff9b4312d703fb0582d8c3848187c1bd28bf342f45a12027312f156ec53ad9e3db1f9ce2d9cfc020610109850670683cacff0782ffc94b4e8cc33d39316c798f701baa3b59189c4b935201a499e4ee",
        2,
        &[("6f458c32-c981-4d99-82b9-a9bbc975a3d6", 15), ("492b08db-7106-4c2e-8f6b-bdd1e0ab69b2", 1)],
    ),
    (
        "Can skip over Line entity types",
        "c00000aeef465048e4050008020000057f78da636060626066d8f6e8fb1cbd3ad737dbaac4764f71957de2e110c5ede7f1849501463330fcfff1ffbff97f3078a0a020c88005fcffcf88cc3dec60bf2034e9408051a03d90e700c10df6ffeb851ffdafb7bd04e4dbc330cc1a0106d6abb1eb98e7392deae05155487e72e32383adfdfe0b5a0b0f6c38abb71f688003239a9d8c8c401114c1fff560f81f9758833d0223832a170612c1b3929376208cf0c916670679b8f43467fcda414189459401181f40d7ed477521888fec7a06863bbd1b121e5aba77b4cc98d15e775f6e268bd09cb7eaa040646c5ee9048eb3a68eff7feaffcf8644da0706f90f58624d80c147765bc72e56eff02d81935d3db22bf280b1c8c3909b58925a949998a39b9f970a577bf68ccf3e04fb8c2d0c23852e3c46618e1160f855354fe06a8b7ff98e334fdaac75963d38d1676c1f30a9fa40c01f9e3d2fb25fdb0dee1805863ba5318a084d97c49244b01781d00064feac9992286e3761a85682290e4b2d2acecccf53b232d4818b152b59552b25e624a5a6e42b59451bea18ea18c4d6d632a2476102d0a88c598f5919f89816d88293c26413e4fc6bbf0057fee56428ce482c484589f6896f6bec5b6b0a0e3cefd1b003260138c616ed308b05181e7359551f79eafb6577defbd71fbb96cf3afbc70c1eed0ffa9f60443bc300463b12a05eb4336c798f701baa3b39184280b199979e930a005f7a3ffa",
        2,
        &[("dc8db060-e139-4788-8498-98877edf1e99", 16), ("4c1db688-ba05-4b57-b451-9345486b786e", 3)],
    ),
    (
        "Can skip over PolyVox entity type",
        "c001004968ee534ae4050021030000043c78da63606002c2df893b3ebdaef769dc57a155a13a2b592cc3c8543bc8eb092bc3f515109a81e1ff0f06041038cbc8a000860c8c8719187a122b6ebdbdeb3de9b001876be0fbfacb25f90b9a2f1d329a747eee33df475aeb18ffafe386e8abe8f9a1faf367b20ab78b4a276be3cffa89f21a09e75fc96b74ef5712f4540289ea327d3e9ee89214be4ae3019b2dcf9c8afc55ef3a543e4e3a20e4ce5bea68203b652bfbe6a7f2135596310b7a2639261cbcaf1318e03b39f99cd5fada1fcbe5979d9f6d1df25db291ebf0132e2d239e7333f4f3f2f997bd5652f2dca3726131f72ac31ecd9567eb3ebdfcf9e8e7a77e0fa168962a8d1567a7a45cde9dc170f31e7ffa94ff8a5c59c912ce0157db8a371daca8d997111009b646f8f09a9b8745b66a7cdbc26b26f157ba87ef697d47d3b7ccc09cc0552c976a9d2addff7f982697b65cb2dd216c8dc52f7f8d3f1b42bb830c1f474c12e06844461c021daaab54b50e472c8a5ab4ab67b56ba1e4f5d43b5bb924250aef786cdbd874c7e35b6cb3a18280f9a4d288493ba6fe9dd3107df3e3c3887b571655cc78f7c9e06e917d8f89c4978f7dba5dc77ffe9e52df289f63f021d7dc2253425f244bf88393a2cd86e55fbd9cd79bacf9ce5cbd20cbeb53d0d34d9bff7f9968129f70d877fd79ab90d072cf6a07fe8abb739e1e0e5ac60c8a8f03e17f18ccf22c7f6e799370df7c87e7abeed9920c5c9677260b00e532663d666558201bfac81314ff7b0efcff67ffffec7f30f86121ffff9f200316f0ff3f230743726276aa6e7e5e2a5c34f6c0f57d3db79b0e88ace37638747d9b1dd35361bb4db3b7d9fdaf07c3ff4025f648186cb30043da5ff9b7aae61e355b5b19181f3ed4e2cf13d2df7fc5b1fb00c7e1aff6f5296cf68ce896330245500491ccc72ad6608fc0c8a0ca85817c00f545c37e0679b8d83467fc7a40818a478e81218121a3a4a4a0d84a5f3f39254fd750af2cb32839312533512f393f57bfb4583755d750df29b12a31b148dfb1b838b5a458df373f2535a758df2d3f3f453f29b3a8242325b1321e1433fae9392569a8427ae93949d8438385a19aab960b12a81f1c21a10c26030ebb3300009ee2669a",
        1,
        &[("b4ec60df-37b8-49ea-8b9b-19000a39dc93", 4)],
    ),
    (
        "Can skip over PolyLine entity type",
        "c00000b67cb7664ae4050013020000047678da6360600242fe8a1bad7fa43c27af7f10b8b6c6af6fa146f1a2bb295e4f5819603403c3ff3ff5ff67ff07830f02f6070419b080ffff1991787e82d6076e6d987de08682a8435a9a9ac3d93367ec4d8c8dedffd73f7cfbbf7ec941a0127b1886d923c0a0a5617ce2f16d3793c92f0fe7997607bddfbcb4ffc0b3b3670ffc9be56c6f58e2e1c08866272323500445f07f3d18fec725d6608fc0c8a0ca858144f0ace4a41d08237c32cd99411e2e0de4e005a0b0c422cac0e0c590515252506ca5af9f9c92a76ba8579659949c989299a8979c9fab5f5aac9baa6ba8ef929f9b9899e79c9f57929a57a21f925f99945fa19f96935fee585452ac5f5294989953ac579097ce0cf2f17ea80bd140032cfc19981980b1633b6be64cbbb3677cec98114afed5dbe36603837dcb9b84fbe63b3c5f75cf9664e0b2bc335900289731eb312bc302d9d0479ea094b3e7c0ff7ff6ffcf4292ce0f0bf9ffff70a51d0e86e4c4ec54ddfcbc54b868ec81ebfb7a6e371d1059c7ed70e8fa363ba6a7c2769b666fb3438a4f7b240cb6598021edaffc5b55738f9aadad0c8c0f1f6af1e709e9efbfe2d87d80e3f057fbfa14367bf434c43080690809407d018c2d4ad3105c8e81218188b4e49458959858a4ef585c9c0a4c3bbef929a939c5fa6ef9f929fa4999452519298995f1a098d14fcf29494315d24bcf49c21e1a2c0cd55cb55c9040fde0080965301970d89d01005b2410c7",
        1,
        &[("b4ec60df-37b8-49ea-8b9b-19000a39dc93", 4)],
    ),
    (
        "Can skip over Grid entity type",
        "c0000022fcece84ae40500b801000003eb78da63606002c2580397e28b1afe9bf74e897970ebfb2b4d89ed52a1f7bc9eb032c0680686ff3ffeff37ff0f060fec7708326001ffff3322731f2bee6317fe7c40677a9a0303c3092710e6baae6cf3bf1e0cff0355d8c330cc1a01868c92a4a81337bd7317e4a43f8ecf72b5b8b0a7f710dfdc398754cddb0eddcbe6756644b393911128822288643e56b1067b044606552e0c2482672527ed4018e19369ce0cf2706920072f000525565184dbd0dcc902a1ecb7bc49b86fbec3f355f76c49062ecb3b9305808219b31eb3322c900d7de4098aae3d07feffb3ff7f16125f3f2ce4ffffc315631c0cc989d9a9baf979a970d1d803d7f7f5dc6e3a20b28edbe1d0f56d764c4f85ed36cdde66872de660360b30a4fd957fab6aee51b3b59581f1e1432dfe3c21fdfd571cbb0f701cfe6a5f9fc2668f1e730c0318734800ea8b86fd14c71c52fc2500d3714941b195be7e724a9eaea15e59665172624a66a25e727eae7e69b16eaaaea1be536255626291be6371716a49b1be6f7e4a6a4eb1be5b7e7e8a7e52665149464a62653c2866f4d3734ad25085f4d27392b087060b4335572d1724503f384242194c061c76670000a482e73d",
        1,
        &[("b4ec60df-37b8-49ea-8b9b-19000a39dc93", 4)],
    ),
    (
        "Can skip over Gizmo entity type",
        "c00000eb0ae37e5be40500bb010000040b78da6360600242cd1b6247233fb8d5cf57319ec35f76d12a42c490373ffa092b038c6660f8ffcffeffd9ff60f08381ffff3f41062ce0ff7f4624de2769de031127180e9648b239323034d8e70b355b81e8fff560f81fa8c41e8661160930a89de673f7d8e9fb637371ce19f6fb45cb0d62ad0e2c97e039e839e9abc33796adf68c687632320245500491ccc72ad6608fc0c8a0ca858144f0ace4a41d08237c32cd99411e2e0de4e005a0c0c42567e2c4c0b005acff3f44e17f886a64c7a37b8001a6f297b7c88b33f2feb59b6bee5eba5ebcbc490028d3e10b0cdef250ad34707c8620c7a7853ceef8e460484ecc4ed5cdcf4b858b1eb40cde7f79cff503d2fab71d0e5ddf66c7f454d86ed3ec6d76d8e21566b10083f22b2b3b7e0107a7198bdecfca7be3f084c1ac7bbfb4f28303974f5c72a84f61c3885786018c572400f545c37e2ac52b582a8121a3a4a4a0d84a5f3f39254fd750af2cb32839312533512f393f57bfb4583755d750df29b12a31b148dfb1b838b5a458df373f2535a758df2d3f3f453f29b3a8242325b1321e1433fae9392569a8427ae93949d8438385a19aab960b12a81f1c21a10c26030ebb3300003de3f0d3",
        1,
        &[("fa4b14e8-cc1f-4f7d-b37c-ddd2d773a782", 4)],
    ),
];

fn uuid(s: &str) -> Value {
    let h = hex(&s.replace('-', ""));
    Value::Uuid(h[..].try_into().unwrap())
}

/// The numbers of a "x, y, z" field.
fn nums(d: &Dissection, key: &str) -> Vec<f64> {
    match val(d, key) {
        Value::String(s) => s.split(", ").map(|x| x.parse().unwrap()).collect(),
        v => panic!("{key}: {v:?}"),
    }
}

fn close(got: &[f64], want: &[f64], eps: f64) {
    assert_eq!(got.len(), want.len(), "{got:?}");
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() <= eps, "{got:?} vs {want:?}");
    }
}

fn u(v: u64) -> Value {
    Value::Unsigned(v)
}

#[test]
fn byte_count_coded_matches_the_reference() {
    // The web SDK's decoder vectors (bytes past the code are ignored).
    assert_eq!(bcc_decode(&hex("10dc")), Some((4, 1)));
    assert_eq!(bcc_decode(&hex("8bfafffe3f")), Some((6132, 2)));
    assert_eq!(bcc_decode(&hex("d20e80ffff8fff")), Some((11785, 3)));
    // Lead bits longer than the buffer, or a code cut short.
    assert_eq!(bcc_decode(&[]), None);
    assert_eq!(bcc_decode(&[0xff]), None);
    assert_eq!(bcc_decode(&[0x80]), None);
    // encode: (significant bits / 7) + 1 bytes, and it decodes back.
    let enc = |v: u64| {
        let mut b = Vec::new();
        bcc_encode(v, &mut b);
        b
    };
    assert_eq!(enc(0), [0x00]);
    assert_eq!(enc(2), [0x20]);
    assert_eq!(enc(4), [0x10]);
    assert_eq!(enc(6132), hex("8bfa"));
    assert_eq!(enc(11785), hex("d20e80"));
    for v in [0, 1, 63, 64, 127, 128, 3134, 1 << 20, u64::from(u32::MAX), u64::MAX >> 1, u64::MAX] {
        let b = enc(v);
        assert_eq!(bcc_decode(&b), Some((v, b.len())), "{v}");
    }
    assert_eq!(enc(u64::MAX).len(), 10);
}

#[test]
fn property_flags_decode_by_bit() {
    // The shortest code for the highest bit, and back.
    for bits in [vec![], vec![0], vec![6], vec![7, 2], vec![2, 28, 85, 133]] {
        let code = flags_encode(&bits);
        let mut want = bits.clone();
        want.sort_unstable();
        assert_eq!(flags_decode(&code), Some((want, code.len())));
    }
    assert_eq!(flags_encode(&[6]).len(), 1);
    assert_eq!(flags_encode(&[7]).len(), 2);
    // 1 lead byte: bits 1..8 are properties 0..7; 0x24 = 0b0010_0100: properties 1 and 4.
    assert_eq!(flags_decode(&[0x24]), Some((vec![1, 4], 1)));
    // Two bytes: 10 then properties 0..14.
    assert_eq!(flags_decode(&[0x80, 0x01]), Some((vec![13], 2)));
    assert_eq!(flags_decode(&[0xc0, 0x01]), None);
    // Past the shared names, each release's own: bit 28 is Vircadia's GRAB_GRABBABLE and Overte's
    // TAGS; bit 85 a Model's MODEL_URL in 147; a version with no known layout keeps numbers.
    assert_eq!(flag_names(&[2, 6, 27, 28], 133, 4), "SIMULATION_OWNER|NAME|BILLBOARD_MODE|GRAB_GRABBABLE");
    assert_eq!(flag_names(&[2, 28, 85], 147, 4), "SIMULATION_OWNER|TAGS|MODEL_URL");
    assert_eq!(flag_names(&[28, 200], 140, 4), "#28|#200");
}

#[test]
fn octal_codes_count_three_bit_sections() {
    assert_eq!(octal_sections(&[0]), Some(0));
    assert_eq!(octal_code_len(0), 1);
    assert_eq!(octal_sections(&[1, 0xe0]), Some(1));
    assert_eq!(octal_code_len(1), 2);
    assert_eq!(octal_code_len(3), 3);
    assert_eq!(octal_code_len(8), 4);
    assert_eq!(octal_code_len(29), 12);
    // 255 continues into the next byte; the byte count takes the sum modulo 256 as the C++
    // `unsigned char` parameter does.
    assert_eq!(octal_sections(&[255, 2]), Some(257));
    assert_eq!(octal_code_len(257), 2);
    assert_eq!(octal_sections(&[255]), None);
    assert_eq!(octal_sections(&[]), None);
}

#[test]
fn real_model_entity() {
    let p = hex(VECTORS[0].1);
    let (d, r) = run(ENTITY_DATA, &p);
    assert_eq!(r, Decoded::Full);
    assert!(tags(&d).is_empty(), "{:?}", tags(&d));
    assert_eq!(d.info, " seq 48, 1 entity");
    assert_eq!(val(&d, "overte.octree.flags"), &u(0xc0));
    assert_eq!(val(&d, "overte.octree.compressed"), &Value::Bool(true));
    assert_eq!(val(&d, "overte.octree.sequence"), &u(48));
    assert_eq!(val(&d, "overte.octree.sent_time"), &u(1655451515783007));
    assert_eq!(val(&d, "overte.octree.section_length"), &u(282));
    assert_eq!(val(&d, "overte.octree.uncompressed_size"), &u(563));
    assert_eq!(d.sources()[0].name, "Inflated octree section");
    assert_eq!(d.sources()[0].data.len(), 563);
    assert_eq!(val(&d, "overte.octree.octal_depth"), &u(0));
    assert_eq!(val(&d, "overte.entity.count"), &u(1));
    assert_eq!(val(&d, "overte.entity.id"), &uuid("69a6a83a-4ff2-42fd-9666-377e860a2ada"));
    assert_eq!(val(&d, "overte.entity.type"), &Value::Enum { value: 4, name: Some("Model") });
    assert_eq!(val(&d, "overte.entity.created"), &u(1655451515775649));
    assert_eq!(val(&d, "overte.entity.last_edited"), &u(1655451515775649));
    assert_eq!(val(&d, "overte.entity.update_delta"), &u(2));
    assert_eq!(val(&d, "overte.entity.simulated_delta"), &u(2));
    // 17 bytes of simulation owner behind their u16 length.
    assert_eq!(d.values("overte.entity.simulation_owner").next().unwrap().len, 19);
    assert_eq!(val(&d, "overte.entity.parent_id"), &Value::None);
    assert_eq!(val(&d, "overte.entity.parent_joint_index"), &u(65535));
    assert_eq!(val(&d, "overte.entity.visible"), &Value::Bool(false));
    assert_eq!(val(&d, "overte.entity.locked"), &Value::Bool(false));
    close(&nums(&d, "overte.entity.position"), &[0.752809, -12.4463, 2.885479], 1e-3);
    close(&nums(&d, "overte.entity.dimensions"), &[0.1, 0.1, 0.1], 1e-3);
    close(&nums(&d, "overte.entity.rotation"), &[-0.0000152588, -0.0000152588, -0.0000152588, 1.0], 1e-8);
    close(&nums(&d, "overte.entity.registration_point"), &[0.5, 0.5, 0.5], 1e-3);
    assert_eq!(val(&d, "overte.entity.created_property"), &u(1655451515775649));
    assert_eq!(val(&d, "overte.entity.last_edited_by"), &uuid("e0a1aa03-b104-4476-a927-28a804e9d44a"));
    close(&nums(&d, "overte.entity.query_aa_cube"), &[0.6662073, -12.5329, 2.7988767, 0.173205], 1e-3);
    assert_eq!(val(&d, "overte.entity.can_cast_shadow"), &Value::Bool(true));
    assert_eq!(val(&d, "overte.entity.render_layer"), &Value::Enum { value: 0, name: Some("WORLD") });
    assert_eq!(val(&d, "overte.entity.primitive_mode"), &Value::Enum { value: 0, name: Some("SOLID") });
    assert_eq!(val(&d, "overte.entity.ignore_pick_intersection"), &Value::Bool(false));
    assert_eq!(val(&d, "overte.entity.render_with_zones"), &u(0));
    assert_eq!(val(&d, "overte.entity.billboard_mode"), &Value::Enum { value: 0, name: Some("NONE") });
    // Past PROP_BILLBOARD_MODE, in Vircadia's numbering, as the web SDK's test asserts them:
    // the grab, physics, cloning and script properties, then the Model's own.
    close(&nums(&d, "overte.entity.grab_equippable_indicator_scale"), &[1.0, 1.0, 1.0], 1e-3);
    assert_eq!(val(&d, "overte.entity.density"), &Value::Float(1000.0));
    assert_eq!(val(&d, "overte.entity.restitution"), &Value::Float(0.5));
    assert_eq!(val(&d, "overte.entity.friction"), &Value::Float(0.5));
    assert_eq!(val(&d, "overte.entity.lifetime"), &Value::Float(-1.0));
    assert_eq!(val(&d, "overte.entity.collisionless"), &Value::Bool(false));
    assert_eq!(val(&d, "overte.entity.collision_mask"), &u(31));
    assert_eq!(val(&d, "overte.entity.clone_lifetime"), &Value::Float(300.0));
    assert_eq!(val(&d, "overte.entity.script_timestamp"), &u(0));
    assert_eq!(val(&d, "overte.entity.limited_run"), &u(4294967295));
    assert_eq!(val(&d, "overte.entity.shape_type"), &Value::Enum { value: 0, name: Some("NONE") });
    assert_eq!(val(&d, "overte.entity.color"), &Value::String("255, 255, 255".into()));
    assert_eq!(
        val(&d, "overte.entity.model_url"),
        &Value::String(
            "https://cdn-1.vircadia.com/us-e-1/Bazaar/Assets/Models/Food/birthday_cake/gltf/birthday_cake.glb".into()
        )
    );
    close(&nums(&d, "overte.entity.model_scale"), &[1.0, 1.0, 1.0], 1e-3);
    assert_eq!(val(&d, "overte.entity.blendshape_coefficients"), &Value::String("{\n}\n".into()));
    assert_eq!(val(&d, "overte.entity.use_original_pivot"), &Value::Bool(true));
    assert_eq!(val(&d, "overte.entity.animation_allow_translation"), &Value::Bool(false));
    assert_eq!(val(&d, "overte.entity.animation_fps"), &Value::Float(30.0));
    assert_eq!(val(&d, "overte.entity.animation_loop"), &Value::Bool(true));
    assert_eq!(val(&d, "overte.entity.animation_last_frame"), &Value::Float(100000.0));
    assert_eq!(val(&d, "overte.entity.animation_hold"), &Value::Bool(false));
    // The record ends where the section does: nothing left over.
    assert!(d.values("overte.entity.properties_data").next().is_none());
    assert!(d.values("overte.payload.undecoded").next().is_none());
    match val(&d, "overte.entity.property_flags") {
        Value::String(s) => assert!(
            s.starts_with("SIMULATION_OWNER|PARENT_ID|")
                && s.contains("|BILLBOARD_MODE|GRAB_GRABBABLE|")
                && s.ends_with("|ANIMATION_HOLD")
        ),
        v => panic!("{v:?}"),
    }
}

#[test]
fn real_packets_with_two_entities() {
    let (d, r) = run(ENTITY_DATA, &hex(VECTORS[1].1));
    assert_eq!(r, Decoded::Full);
    assert_eq!(d.info, " seq 1, 2 entities");
    assert_eq!(val(&d, "overte.entity.count"), &u(2));
    assert_eq!(val(&d, "overte.entity.id"), &uuid("33503886-191a-41e4-9450-f05665408e27"));
    assert_eq!(val(&d, "overte.entity.created"), &u(1655893515198700));
    assert_eq!(val(&d, "overte.entity.last_edited"), &u(1655893515304910));
    assert_eq!(val(&d, "overte.entity.update_delta"), &u(0));
    assert_eq!(val(&d, "overte.entity.simulated_delta"), &u(0));
    // The first record carries the rest of an entity whose first properties went in an earlier
    // packet: its flags start at PROP_GRAVITY.
    assert!(matches!(val(&d, "overte.entity.property_flags"), Value::String(f) if f.starts_with("GRAVITY|")));

    let (d, r) = run(ENTITY_DATA, &hex(VECTORS[2].1));
    assert_eq!(r, Decoded::Full);
    assert_eq!(d.info, " seq 0, 2 entities");
    assert_eq!(val(&d, "overte.entity.id"), &uuid("b4ec60df-37b8-49ea-8b9b-19000a39dc93"));
    assert_eq!(val(&d, "overte.entity.created"), &u(1657627173666914));
    assert_eq!(val(&d, "overte.entity.last_edited"), &u(1657627185055600));
    assert_eq!(val(&d, "overte.entity.name"), &Value::String("cake-one".into()));
    assert_eq!(val(&d, "overte.entity.visible"), &Value::Bool(true));
    assert_eq!(val(&d, "overte.entity.parent_id"), &Value::None);
    assert_eq!(val(&d, "overte.entity.parent_joint_index"), &u(65535));
    close(&nums(&d, "overte.entity.position"), &[-0.4213, -1.5893, 0.7824], 1e-3);
    close(&nums(&d, "overte.entity.dimensions"), &[0.3571, 0.1444, 0.3566], 1e-3);
    assert_eq!(val(&d, "overte.entity.created_property"), &u(1657627173666914));
    assert_eq!(val(&d, "overte.entity.last_edited_by"), &uuid("1026cbdd-6414-4861-bf88-99a21bed3fd2"));
    assert_eq!(nums(&d, "overte.entity.query_aa_cube").len(), 4);
    assert!((nums(&d, "overte.entity.query_aa_cube")[0] - -0.68387).abs() < 1e-4);
}

#[test]
fn real_packets_name_their_first_entity() {
    for (name, h, n, want) in &VECTORS[..8] {
        let (d, _) = run(ENTITY_DATA, &hex(h));
        // The elements announce as many entities as the SDK reads.
        let ends = if *n == 1 { ", 1 entity".to_string() } else { format!(", {n} entities") };
        assert!(d.info.ends_with(&ends), "{name}: {}", d.info);
        let (id, ty) = want[0];
        assert_eq!(val(&d, "overte.entity.id"), &uuid(id), "{name}");
        assert_eq!(val(&d, "overte.entity.type").as_i128(), Some(ty as i128), "{name}");
        assert!(tags(&d).is_empty(), "{name}: {:?}", tags(&d));
    }
    // The web SDK skips the Line, PolyVox, PolyLine, Grid and Gizmo entities these packets
    // start with, reading past their properties; they decode to the section's last byte.
    for (name, h, _, _) in &VECTORS[8..] {
        let (d, r) = run(ENTITY_DATA, &hex(h));
        assert_eq!(r, Decoded::Full, "{name}");
        assert!(tags(&d).is_empty(), "{name}: {:?}", tags(&d));
        assert_eq!(val(&d, "overte.octree.compressed"), &Value::Bool(true), "{name}");
        assert!(d.values("overte.entity.id").next().is_some(), "{name}");
    }
}

#[test]
fn every_prefix_decodes_without_panicking() {
    let mut cut_short = 0;
    for (_, h, _, _) in VECTORS {
        let p = hex(h);
        for n in 0..p.len() {
            for tree in [true, false] {
                let (d, _, _) = run_mode(ENTITY_DATA, &p[..n], tree);
                cut_short += usize::from(tags(&d).contains(&"overte.payload.truncated"));
            }
            for t in [ENTITY_ADD, ENTITY_EDIT, ENTITY_PHYSICS, ENTITY_ERASE, ENTITY_CLONE, OCTREE_DATA_NACK] {
                let _ = run_mode(t, &p[..n], true);
            }
        }
    }
    assert!(cut_short > 1000, "{cut_short}");
}

#[test]
fn truncated_section_is_reported() {
    let p = hex(VECTORS[0].1);
    let (d, r) = run(ENTITY_DATA, &p[..200]);
    assert_eq!(r, Decoded::Partial);
    assert_eq!(tags(&d), ["overte.payload.truncated"]);
    let rest = d.values("overte.payload.undecoded").next().unwrap();
    assert_eq!((rest.offset as usize, rest.len as usize), (13, 187));
    assert_eq!(d.info, " seq 48, 0 entities");
}

/// An uncompressed EntityData payload's start: header, the root's octal code and masks, one
/// entity, and that entity's header up to its property flags.
struct Head {
    sequence: u16,
    sent: u64,
    /// Color, children-in-tree and child-in-buffer masks.
    masks: [u8; 3],
    id: [u8; 16],
    ty: u64,
    /// Created and last edited.
    times: (u64, u64),
}

impl Head {
    /// The bytes up to and including the property flags (`deltas`: update and simulated).
    fn record(&self, deltas: (u64, u64), flags: &[u32]) -> Vec<u8> {
        let mut p = vec![0x80];
        p.extend_from_slice(&self.sequence.to_le_bytes());
        p.extend_from_slice(&self.sent.to_le_bytes());
        p.push(0x00);
        p.extend_from_slice(&self.masks);
        p.extend_from_slice(&1u16.to_le_bytes());
        p.extend_from_slice(&self.id);
        bcc_encode(self.ty, &mut p);
        p.extend_from_slice(&self.times.0.to_le_bytes());
        p.extend_from_slice(&self.times.1.to_le_bytes());
        bcc_encode(deltas.0, &mut p);
        bcc_encode(deltas.1, &mut p);
        p.extend_from_slice(&flags_encode(flags));
        p
    }
}

#[test]
fn uncompressed_entity_data_decodes_fully() {
    // Root octal code, no colored children, masks, then the root's one entity.
    let head = Head { sequence: 7, sent: 99, masks: [0x00, 0xff, 0x00], id: [0x11; 16], ty: 1, times: (5, 6) };
    let mut p = head.record((3134, 0), &[3, 6, 12, 26]);
    p.extend_from_slice(&16u16.to_le_bytes());
    p.extend_from_slice(&[0x22; 16]);
    p.extend_from_slice(&3u16.to_le_bytes());
    p.extend_from_slice(b"box");
    for x in [1.0f32, 2.0, 3.0] {
        p.extend_from_slice(&x.to_le_bytes());
    }
    p.extend_from_slice(&1u16.to_le_bytes());
    p.extend_from_slice(&hex("33221100554477668899aabbccddeeff"));
    let (d, r) = run(ENTITY_DATA, &p);
    assert_eq!(r, Decoded::Full);
    assert!(d.experts().is_empty(), "{:?}", d.experts());
    assert_eq!(d.info, " seq 7, 1 entity");
    assert_eq!(val(&d, "overte.octree.compressed"), &Value::Bool(false));
    assert_eq!(val(&d, "overte.octree.children_in_tree_mask"), &u(0xff));
    assert_eq!(val(&d, "overte.entity.type"), &Value::Enum { value: 1, name: Some("Box") });
    assert_eq!(val(&d, "overte.entity.update_delta"), &u(3134));
    assert_eq!(val(&d, "overte.entity.parent_id"), &Value::Uuid([0x22; 16]));
    assert_eq!(val(&d, "overte.entity.name"), &Value::String("box".into()));
    close(&nums(&d, "overte.entity.position"), &[1.0, 2.0, 3.0], 0.0);
    assert_eq!(val(&d, "overte.entity.render_with_zone"), &uuid("00112233-4455-6677-8899-aabbccddeeff"));
    assert_eq!(
        val(&d, "overte.entity.property_flags"),
        &Value::String("PARENT_ID|NAME|POSITION|RENDER_WITH_ZONES".into())
    );
}

fn edit(properties: &'static [u8]) -> EntityEdit<'static> {
    EntityEdit {
        header: EditHeader { sequence: 12, sent_time: 1_700_000_000_000_000 },
        octal_code: Cow::Borrowed(&[0]),
        last_edited: 1_700_000_000_000_001,
        id: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
        entity_type: 1,
        update_delta: 0,
        property_flags: Cow::Owned(flags_encode(&[12])),
        properties: Cow::Borrowed(properties),
    }
}

#[test]
fn entity_edit_header_and_properties() {
    let e = edit(&[0; 12]);
    let mut p = Vec::new();
    e.emit(&mut p);
    let (back, rest) = EntityEdit::parse(&p).unwrap();
    assert_eq!((&back, rest.len()), (&e, 0));
    for t in [ENTITY_EDIT, ENTITY_ADD, ENTITY_PHYSICS] {
        let (d, r) = run(t, &p);
        assert_eq!(r, Decoded::Full);
        assert!(tags(&d).is_empty(), "{:?}", tags(&d));
        assert_eq!(d.info, " Box 01020304\u{2026}");
        assert_eq!(val(&d, "overte.octree.sequence"), &u(12));
        assert_eq!(val(&d, "overte.entity.last_edited"), &u(1_700_000_000_000_001));
        assert_eq!(val(&d, "overte.entity.id"), &Value::Uuid(e.id));
        assert_eq!(val(&d, "overte.entity.property_flags"), &Value::String("POSITION".into()));
        assert_eq!(val(&d, "overte.entity.position"), &Value::String("0, 0, 0".into()));
        let at = d.values("overte.entity.position").next().unwrap();
        assert_eq!((at.offset as usize, at.len as usize), (p.len() - 12, 12));
        assert!(d.values("overte.payload.undecoded").next().is_none());
    }
    // Flags that announce no property: nothing follows them.
    let mut none = edit(&[]);
    none.property_flags = Cow::Owned(flags_encode(&[]));
    let mut p = Vec::new();
    none.emit(&mut p);
    let (d, r) = run(ENTITY_EDIT, &p);
    assert_eq!(r, Decoded::Full);
    assert!(d.experts().is_empty());
    // A flag with no value after it: the value is cut short.
    let mut p = Vec::new();
    edit(&[]).emit(&mut p);
    let (d, r) = run(ENTITY_EDIT, &p);
    assert_eq!(r, Decoded::Partial);
    assert_eq!(tags(&d), ["overte.payload.truncated"]);
    // Cut inside the entity ID.
    let (d, r) = run(ENTITY_EDIT, &p[..20]);
    assert_eq!(r, Decoded::Partial);
    assert_eq!(tags(&d), ["overte.payload.truncated"]);
    let rest = d.values("overte.payload.undecoded").next().unwrap();
    assert_eq!((rest.offset as usize, rest.len as usize), (19, 1));
}

#[test]
fn entity_erase_both_directions() {
    let ids = vec![[0xaa; 16], [0xbb; 16]];
    let server = EntityErase {
        flags: Some(0),
        header: EditHeader { sequence: 3, sent_time: 4 },
        messages: vec![(2, ids.clone())],
    };
    // A client batches one message per erased entity after one header.
    let client = EntityErase {
        flags: None,
        header: EditHeader { sequence: 5, sent_time: 6 },
        messages: vec![(1, ids[..1].to_vec()), (1, ids[1..].to_vec())],
    };
    for e in [&server, &client] {
        let mut p = Vec::new();
        e.emit(&mut p);
        assert_eq!(EntityErase::is_server_form(p.len()), e.flags.is_some());
        assert_eq!(&EntityErase::parse(&p).unwrap().0, e);
        let (d, r) = run(ENTITY_ERASE, &p);
        assert_eq!(r, Decoded::Full);
        assert!(d.experts().is_empty());
        assert_eq!(val(&d, "overte.entity.erased_id"), &Value::Uuid([0xaa; 16]));
        assert_eq!(d.values("overte.entity.erased_id").count(), 2);
        assert_eq!(d.values("overte.octree.flags").count(), usize::from(e.flags.is_some()));
    }
    let mut p = Vec::new();
    server.emit(&mut p);
    let d = run(ENTITY_ERASE, &p).0;
    assert_eq!(d.info, " seq 3, 2 entities");
    assert_eq!(val(&d, "overte.entity.erase_count"), &u(2));
    let mut p = Vec::new();
    client.emit(&mut p);
    assert_eq!(p.len(), 10 + 2 * 18);
    let d = run(ENTITY_ERASE, &p).0;
    assert_eq!(d.info, " seq 5, 2 entities");
    assert_eq!(d.values("overte.entity.erase_count").count(), 2);
}

#[test]
fn clone_completion_and_nacks() {
    let c = EntityClone { header: EditHeader { sequence: 9, sent_time: 10 }, pairs: vec![([0x12; 16], [0x34; 16])] };
    let mut p = Vec::new();
    c.emit(&mut p);
    assert_eq!(p.len(), 42);
    assert_eq!(EntityClone::parse(&p).unwrap().0, c);
    let (d, r) = run(ENTITY_CLONE, &p);
    assert_eq!(r, Decoded::Full);
    assert_eq!(d.info, " 12121212\u{2026} -> 34343434\u{2026}");
    assert_eq!(val(&d, "overte.entity.new_id"), &Value::Uuid([0x34; 16]));

    let mut p = Vec::new();
    ResultsComplete { sequence: 0x1234 }.emit(&mut p);
    assert_eq!(p, [0x34, 0x12]);
    let (d, r) = run(ENTITY_QUERY_INITIAL_RESULTS_COMPLETE, &p);
    assert_eq!(r, Decoded::Full);
    assert_eq!(val(&d, "overte.octree.exit_sequence"), &u(0x1234));
    assert_eq!(d.info, " before seq 4660");
    let (d, _) = run(ENTITY_QUERY_INITIAL_RESULTS_COMPLETE, &[1, 2, 3]);
    assert_eq!(tags(&d), ["overte.payload.wrong_length"]);

    let n = Nack { sequences: vec![1, 2, 65535] };
    let mut p = Vec::new();
    n.emit(&mut p);
    assert_eq!(Nack::parse(&p).unwrap().0, n);
    for t in [OCTREE_DATA_NACK, ENTITY_EDIT_NACK] {
        let (d, r) = run(t, &p);
        assert_eq!(r, Decoded::Full);
        assert_eq!(d.info, " 3 missing");
        assert_eq!(
            d.values("overte.octree.nack_sequence").map(|f| f.value.clone()).collect::<Vec<_>>(),
            [u(1), u(2), u(65535)]
        );
    }
    // An odd byte is half a sequence number.
    p.push(7);
    let (d, r) = run(OCTREE_DATA_NACK, &p);
    assert_eq!(r, Decoded::Partial);
    assert_eq!(tags(&d), ["overte.payload.truncated"]);
}

#[test]
fn broken_section_is_skipped_as_the_receiver_does() {
    let mut p = vec![0xc0, 1, 0];
    p.extend_from_slice(&0u64.to_le_bytes());
    // A section whose zlib stream is garbage, an empty one, then a lone length: a section
    // length is read only while more than its two bytes remain.
    p.extend_from_slice(&6u16.to_le_bytes());
    p.extend_from_slice(&[0, 0, 0, 9, 0x12, 0x34]);
    p.extend_from_slice(&0u16.to_le_bytes());
    p.extend_from_slice(&0u16.to_le_bytes());
    let (d, r) = run(ENTITY_DATA, &p);
    assert_eq!(r, Decoded::Full);
    assert_eq!(tags(&d), ["overte.octree.inflate_failed", "overte.payload.trailing_bytes"]);
    assert_eq!(d.values("overte.octree.section").count(), 2);
    assert_eq!(d.info, " seq 1, 0 entities");
}

#[test]
fn entity_types_are_named_by_release() {
    // Overte 139 put ProceduralParticleEffect at 9: Line and what follows moved up by one.
    assert_eq!(entity_type_name(9, 147), Some("ProceduralParticleEffect"));
    assert_eq!(entity_type_name(10, 147), Some("Line"));
    assert_eq!(entity_type_name(18, 147), Some("Sound"));
    assert_eq!(entity_type_name(9, 138), Some("Line"));
    assert_eq!(entity_type_name(16, 138), Some("Material"));
    assert_eq!(entity_type_name(17, 138), None);
    assert_eq!(entity_type_name(4, 147), entity_type_name(4, 0));
    assert_eq!(entity_type_name(19, 147), None);
    assert_eq!(entity_type_name(19, 150), Some("Empty"));
    assert_eq!(entity_type_name(20, 150), None);
    assert_eq!(entity_type_name(20, 151), Some("Script"));
    // The packet's version picks the names.
    let mut p = vec![0x80];
    p.extend_from_slice(&7u16.to_le_bytes());
    p.extend_from_slice(&99u64.to_le_bytes());
    p.extend_from_slice(&[0x00, 0x00, 0xff, 0x00]);
    p.extend_from_slice(&1u16.to_le_bytes());
    p.extend_from_slice(&[0x11; 16]);
    bcc_encode(9, &mut p);
    p.extend_from_slice(&[0; 30]);
    for (version, name) in [(147, "ProceduralParticleEffect"), (120, "Line")] {
        let mut d = Dissection::new(true);
        let cx =
            crate::payload::PayloadCx { packet_type: ENTITY_DATA, version, reassembled: false, ends: (None, None) };
        crate::payload::dissect(&cx, &p, &mut d, &mut Default::default());
        assert_eq!(val(&d, "overte.entity.type"), &Value::Enum { value: 9, name: Some(name) });
    }
}

#[test]
fn too_deep_octal_code_is_reported_before_its_length() {
    let mut p = vec![0x80];
    p.extend_from_slice(&7u16.to_le_bytes());
    p.extend_from_slice(&99u64.to_le_bytes());
    // 30 three-bit sections need 13 bytes; only two follow. The reader drops the section for
    // its depth first.
    p.extend_from_slice(&[30, 0xaa, 0xbb]);
    let (d, r) = run(ENTITY_DATA, &p);
    assert_eq!(r, Decoded::Partial);
    assert_eq!(tags(&d), ["overte.payload.malformed"]);
    assert!(d.experts()[0].message.contains("deeper than 29"), "{:?}", d.experts());
}

/// A payload of type `t` decoded as a packet of `version`.
fn run_version(t: u8, version: u8, p: &[u8]) -> (Dissection, Decoded) {
    let mut d = Dissection::new(true);
    let cx = crate::payload::PayloadCx { packet_type: t, version, reassembled: false, ends: (None, None) };
    let r = crate::payload::dissect(&cx, p, &mut d, &mut Default::default());
    (d, r)
}

fn float(d: &Dissection, key: &str) -> f64 {
    match val(d, key) {
        Value::Float(x) => *x,
        v => panic!("{key}: {v:?}"),
    }
}

fn text(s: &str) -> Value {
    Value::String(s.to_string().into())
}

#[test]
fn real_packets_decode_each_types_own_properties() {
    // The values the web SDK's EntityData tests assert, type by type.
    let (d, _) = run(ENTITY_DATA, &hex(VECTORS[3].1));
    assert_eq!(val(&d, "overte.entity.source_url"), &text("https://vircadia.com/"));
    assert_eq!(val(&d, "overte.entity.color"), &text("212, 167, 212"));
    assert!((float(&d, "overte.entity.alpha") - 0.9).abs() < 1e-6);
    assert_eq!(val(&d, "overte.entity.dpi"), &u(30));
    assert_eq!(val(&d, "overte.entity.script_url"), &text(""));
    assert_eq!(val(&d, "overte.entity.max_fps"), &u(15));
    assert_eq!(val(&d, "overte.entity.input_mode"), &Value::Enum { value: 1, name: Some("MOUSE") });
    assert_eq!(val(&d, "overte.entity.show_keyboard_focus_highlight"), &Value::Bool(true));
    assert_eq!(val(&d, "overte.entity.web_use_background"), &Value::Bool(true));
    assert!(
        matches!(val(&d, "overte.entity.user_agent"), Value::String(s) if s.starts_with("Mozilla/5.0 (Linux; Android 6.0"))
    );

    let (d, _) = run(ENTITY_DATA, &hex(VECTORS[4].1));
    assert_eq!(val(&d, "overte.entity.color"), &text("68, 62, 122"));
    assert_eq!(val(&d, "overte.entity.alpha"), &Value::Float(1.0));
    assert_eq!(
        val(&d, "overte.entity.textures"),
        &text("https://cdn-1.vircadia.com/us-e-1/Bazaar/Assets/Textures/Defaults/Interface/default_particle.png")
    );
    assert_eq!(val(&d, "overte.entity.max_particles"), &u(15));
    assert_eq!(val(&d, "overte.entity.shape_type"), &Value::Enum { value: 7, name: Some("CYLINDER_Y") });

    let (d, _) = run(ENTITY_DATA, &hex(VECTORS[5].1));
    assert_eq!(val(&d, "overte.entity.color"), &text("46, 154, 158"));
    assert!((float(&d, "overte.entity.intensity") - 4.9).abs() < 1e-4);
    assert!((float(&d, "overte.entity.falloff_radius") - 1.1).abs() < 1e-4);
    assert_eq!(val(&d, "overte.entity.is_spotlight"), &Value::Bool(true));
    assert!((float(&d, "overte.entity.exponent") - 1.02).abs() < 1e-4);
    assert!((float(&d, "overte.entity.cutoff") - 78.5).abs() < 1e-4);

    let (d, _) = run(ENTITY_DATA, &hex(VECTORS[6].1));
    assert_eq!(val(&d, "overte.entity.material_url"), &text("materialData"));
    assert_eq!(val(&d, "overte.entity.material_mapping_mode"), &Value::Enum { value: 0, name: Some("UV") });
    assert_eq!(val(&d, "overte.entity.material_priority"), &u(2));
    assert_eq!(val(&d, "overte.entity.parent_material_name"), &text("0"));
    close(&nums(&d, "overte.entity.material_mapping_pos"), &[0.1, 0.2], 1e-6);
    close(&nums(&d, "overte.entity.material_mapping_scale"), &[0.8, 0.9], 1e-6);
    assert_eq!(val(&d, "overte.entity.material_mapping_rot"), &Value::Float(12.0));
    assert_eq!(val(&d, "overte.entity.material_data"), &text(r#"{"materials":{"albedo":[0.9,0.8,0.1]}}"#));
    assert_eq!(val(&d, "overte.entity.material_repeat"), &Value::Bool(true));

    let (d, _) = run(ENTITY_DATA, &hex(VECTORS[7].1));
    assert_eq!(val(&d, "overte.entity.shape_type"), &Value::Enum { value: 1, name: Some("BOX") });
    assert_eq!(val(&d, "overte.entity.compound_shape_url"), &text(""));
    assert_eq!(val(&d, "overte.entity.flying_allowed"), &Value::Bool(true));
    assert_eq!(val(&d, "overte.entity.ghosting_allowed"), &Value::Bool(true));
    assert_eq!(val(&d, "overte.entity.filter_url"), &text(""));
    assert_eq!(val(&d, "overte.entity.key_light_mode"), &Value::Enum { value: 0, name: Some("INHERIT") });
    assert_eq!(val(&d, "overte.entity.skybox_mode"), &Value::Enum { value: 2, name: Some("ENABLED") });
    assert_eq!(val(&d, "overte.entity.skybox_color"), &text("255, 255, 255"));
    assert_eq!(val(&d, "overte.entity.skybox_url"), &text("atp:/domain/nebula-skybox.png"));
    assert_eq!(val(&d, "overte.entity.ambient_light_mode"), &Value::Enum { value: 2, name: Some("ENABLED") });
    assert!((float(&d, "overte.entity.ambient_light_intensity") - 10.0).abs() < 1e-4);
    assert_eq!(val(&d, "overte.entity.haze_mode"), &Value::Enum { value: 1, name: Some("DISABLED") });
    assert_eq!(val(&d, "overte.entity.bloom_mode"), &Value::Enum { value: 1, name: Some("DISABLED") });
    assert_eq!(val(&d, "overte.entity.avatar_priority"), &Value::Enum { value: 0, name: Some("INHERIT") });
    assert_eq!(val(&d, "overte.entity.screenshare"), &Value::Enum { value: 0, name: Some("INHERIT") });
}

/// An uncompressed EntityData payload with one Shape entity (type 3) as Overte's generated
/// property list numbers it in version 147 (the numbers from `EntityPropertyFlags.h`'s
/// generated enum, written out here): NAME 6, POSITION 12, TAGS 28, GRAB_GRABBABLE 29,
/// MIRROR_MODE 42, DENSITY 44, COLOR 75, ALPHA 76, SHAPE 85.
pub(crate) fn overte_shape_entity_data() -> Vec<u8> {
    let head = Head {
        sequence: 5,
        sent: 1_760_000_000_000_000,
        masks: [0; 3],
        id: [0x5e; 16],
        ty: 3,
        times: (1_759_999_000_000_000, 1_759_999_500_000_000),
    };
    let mut p = head.record((0, 0), &[6, 12, 28, 29, 42, 44, 75, 76, 85]);
    p.extend_from_slice(&4u16.to_le_bytes());
    p.extend_from_slice(b"cube");
    for x in [1.5f32, 0.0, -2.0] {
        p.extend_from_slice(&x.to_le_bytes());
    }
    // Two tags.
    p.extend_from_slice(&2u16.to_le_bytes());
    p.extend_from_slice(&[1, 0, b'a', 2, 0, b'b', b'c']);
    p.push(1);
    p.push(2);
    p.extend_from_slice(&500f32.to_le_bytes());
    p.extend_from_slice(&[10, 20, 30]);
    p.extend_from_slice(&0.5f32.to_le_bytes());
    // EntityShape 5 in one byte.
    p.push(5);
    p
}

#[test]
fn overte_generated_layout_decodes_by_version() {
    let p = overte_shape_entity_data();
    for version in [147, 150] {
        let (d, r) = run_version(ENTITY_DATA, version, &p);
        assert_eq!(r, Decoded::Full, "{version}");
        assert!(tags(&d).is_empty(), "{version}: {:?}", tags(&d));
        assert_eq!(val(&d, "overte.entity.type"), &Value::Enum { value: 3, name: Some("Shape") });
        assert_eq!(val(&d, "overte.entity.name"), &text("cube"));
        assert_eq!(val(&d, "overte.entity.position"), &text("1.5, 0, -2"));
        assert_eq!(val(&d, "overte.entity.tags"), &text(r#""a", "bc""#));
        assert_eq!(val(&d, "overte.entity.grab_grabbable"), &Value::Bool(true));
        assert_eq!(val(&d, "overte.entity.mirror_mode"), &Value::Enum { value: 2, name: Some("PORTAL") });
        assert_eq!(val(&d, "overte.entity.density"), &Value::Float(500.0));
        assert_eq!(val(&d, "overte.entity.color"), &text("10, 20, 30"));
        assert_eq!(val(&d, "overte.entity.alpha"), &Value::Float(0.5));
        assert_eq!(val(&d, "overte.entity.shape"), &Value::Enum { value: 5, name: Some("Cube") });
    }
    // In 151 SCRIPT_URL joined the shared properties: bit 85 is a shared one a Shape does not
    // read, and SHAPE moved to 86. The receiver reads nothing for bit 85.
    let (d, _) = run_version(ENTITY_DATA, 151, &p);
    assert!(tags(&d).contains(&"overte.entity.unread_property"), "{:?}", tags(&d));
    assert!(d.values("overte.entity.shape").next().is_none());
    // Vircadia (Tags did not exist; bit 28 is GRAB_GRABBABLE): not the same record at all.
    let (d, _) = run_version(ENTITY_DATA, 133, &p);
    assert!(d.values("overte.entity.tags").next().is_none());
}

#[test]
fn versions_without_a_property_list_stop_past_the_shared_numbering() {
    let p = overte_shape_entity_data();
    // 134 to 144: the hand-numbered Overte releases; only bits up to PROP_BILLBOARD_MODE.
    let (d, r) = run_version(ENTITY_DATA, 140, &p);
    assert_eq!(r, Decoded::Partial);
    assert_eq!(tags(&d), ["overte.payload.not_decoded"]);
    assert_eq!(val(&d, "overte.entity.position"), &text("1.5, 0, -2"));
    assert!(d.values("overte.entity.tags").next().is_none());
    let note = &d.experts()[0].message;
    assert!(note.contains("from #28 on") && note.contains("version 140"), "{note}");
    // 152 on: numbered alike up to PROP_PORTAL_EXIT_ID (43).
    let (d, r) = run_version(ENTITY_DATA, 152, &p);
    assert_eq!(r, Decoded::Partial);
    assert_eq!(val(&d, "overte.entity.mirror_mode"), &Value::Enum { value: 2, name: Some("PORTAL") });
    assert!(d.values("overte.entity.density").next().is_none());
    assert!(d.experts()[0].message.contains("from #44 on"));
}

#[test]
fn unknown_type_and_unread_flags_are_explained() {
    // A Box edit whose flags announce a property a Box does not have in 147 (bit 90: a Model's
    // BLENDSHAPE_COEFFICIENTS): the server reads no value for it.
    let mut e = edit(&[0; 12]);
    e.property_flags = Cow::Owned(flags_encode(&[12, 90]));
    let mut p = Vec::new();
    e.emit(&mut p);
    let (d, _) = run_version(ENTITY_EDIT, 147, &p);
    assert_eq!(tags(&d), ["overte.entity.unread_property"]);
    assert!(d.experts()[0].message.contains("#90") && d.experts()[0].message.contains("Box"));
    // A type no release has: the properties past the shared ones cannot be followed.
    e.entity_type = 77;
    let mut p = Vec::new();
    e.emit(&mut p);
    let (d, r) = run_version(ENTITY_EDIT, 147, &p);
    assert_eq!(r, Decoded::Partial);
    assert_eq!(tags(&d), ["overte.payload.not_decoded"]);
    assert!(d.experts()[0].message.contains("type 77"));
}

#[test]
fn batched_edits_are_each_decoded() {
    // OctreeEditPacketSender appends edit messages to one EntityEdit packet.
    let mut p = Vec::new();
    edit(&[0; 12]).emit(&mut p);
    let mut second = edit(&[0; 1]);
    second.property_flags = Cow::Owned(flags_encode(&[5]));
    second.id[0] = 0xab;
    let mut q = Vec::new();
    second.emit(&mut q);
    p.extend_from_slice(&q[10..]);
    let (d, r) = run_version(ENTITY_EDIT, 147, &p);
    assert_eq!(r, Decoded::Full);
    assert_eq!(d.info, " Box 01020304\u{2026}, Box ab020304\u{2026}");
    assert_eq!(d.values("overte.entity.edit").count(), 2);
    assert_eq!(val(&d, "overte.entity.visible"), &Value::Bool(false));
}

/// The subclass part of a Vircadia record (as the web SDK's `*EntityItem` tests hold it): each
/// of the type's own properties the flags set, in read order. The dissection and the bytes read.
fn vircadia_subclass(ty: u64, flags: &str, data: &[u8]) -> (Dissection, usize) {
    let (bits, _) = flags_decode(&hex(flags)).unwrap();
    let own = layouts::VIRCADIA_TYPES.iter().find(|(t, _)| *t == ty).unwrap().1.iter().copied().flatten();
    let mut d = Dissection::new(true);
    let mut r = Rd::with_out(data, &mut d);
    for row in own.filter(|row| bits.contains(&u32::from(row.bit))) {
        props::read(&mut r, row.wire, row.field).unwrap();
    }
    let read = r.pos;
    (d, read)
}

/// The numbers of a list value (`(x, y, z), (x, y, z)`).
fn floats_of(d: &Dissection, key: &str) -> Vec<f64> {
    match val(d, key) {
        Value::String(s) => s.split(", ").map(|x| x.trim_matches(['(', ')']).parse().unwrap()).collect(),
        v => panic!("{key}: {v:?}"),
    }
}

#[test]
fn web_sdk_subclass_vectors() {
    // ModelEntityItem.unit.test.js: the joint vectors, which no packet vector sets.
    let data = hex(concat!(
        "000000000000ffffff0000290068747470733a2f2f6d65746176657273652e617369612f617661746172732f6a756c69656e2e",
        "676c620000803f0000803f0000803f02000302005e97bcae1bc679dd83b038baecc3a0cd020003020000000041000010410000e0",
        "40000020410000304100004041000004007b0a7d0a000000010000f041000000000001000000000050c34700",
    ));
    let (d, read) = vircadia_subclass(4, "fffe3fffcdfffffffffffff8381ffffe", &data);
    assert_eq!(read, 147);
    assert_eq!(val(&d, "overte.entity.model_url"), &text("https://metaverse.asia/avatars/julien.glb"));
    assert_eq!(val(&d, "overte.entity.joint_rotations_set"), &text("true, true"));
    let q = floats_of(&d, "overte.entity.joint_rotations");
    close(&q, &[0.18257, 0.36513, 0.54772, 0.73028, 0.37901, 0.45485, 0.53066, 0.60646], 1e-4);
    assert_eq!(val(&d, "overte.entity.joint_translations_set"), &text("true, true"));
    assert_eq!(val(&d, "overte.entity.joint_translations"), &text("(8, 9, 7), (10, 11, 12)"));
    assert_eq!(val(&d, "overte.entity.animation_allow_translation"), &Value::Bool(true));
    assert_eq!(val(&d, "overte.entity.animation_last_frame"), &Value::Float(100000.0));

    // ParticleEffectEntityItem.unit.test.js "A": read out of bit order (EMIT_RADIUS_START, 105,
    // before POLAR_START, 101; EMIT_ACCELERATION, 106, before ACCELERATION_SPREAD, 100;
    // SPIN_SPREAD, 121, before SPIN_START, 119).
    let data = hex(concat!(
        "0f0000000000ffffff00000000000000000000803f0000803f0000000000000000600068747470733a2f2f63646e2d312e7669",
        "7263616469612e636f6d2f75732d652d312f42617a6161722f4173736574732f54657874757265732f44656661756c74732f49",
        "6e746572666163652f64656661756c745f7061727469636c652e706e670a0000000000c03f010000b0400000000000000000ff",
        "7fff7fff7fffff0000000000000000000000000000803f00000000db0f4940db0f49c0db0f494000000000000020400000000000",
        "00000000000000000000000000803e00000000000000000000c0ff00000000000000000000000000000000000000000000000000",
        "0000000000000000803f0000c0ff0100000000000000000000c0ff0000c0ff00",
    ));
    let (d, read) = vircadia_subclass(8, "ffff80000000000000001ffe0ffffffffff8", &data);
    assert_eq!(read, 289);
    assert_eq!(val(&d, "overte.entity.max_particles"), &u(10));
    assert_eq!(val(&d, "overte.entity.shape_type"), &Value::Enum { value: 15, name: Some("ELLIPSOID") });
    assert_eq!(val(&d, "overte.entity.lifespan"), &Value::Float(1.5));
    assert_eq!(val(&d, "overte.entity.emitting_particles"), &Value::Bool(true));
    assert!((float(&d, "overte.entity.emit_rate") - 5.5).abs() < 1e-5);
    assert_eq!(val(&d, "overte.entity.emit_radius_start"), &Value::Float(1.0));
    assert_eq!(val(&d, "overte.entity.polar_start"), &Value::Float(0.0));
    assert!((float(&d, "overte.entity.polar_finish") - std::f64::consts::PI).abs() < 1e-5);
    assert!((float(&d, "overte.entity.azimuth_start") + std::f64::consts::PI).abs() < 1e-5);
    close(&floats_of(&d, "overte.entity.emit_acceleration"), &[0.0, 2.5, 0.0], 1e-6);
    close(&floats_of(&d, "overte.entity.acceleration_spread"), &[0.0, 0.0, 0.0], 1e-6);
    assert_eq!(val(&d, "overte.entity.particle_radius"), &Value::Float(0.25));
    assert!(float(&d, "overte.entity.radius_finish").is_nan());
    assert_eq!(val(&d, "overte.entity.alpha_start"), &Value::Float(1.0));
    assert_eq!(val(&d, "overte.entity.emitter_should_trail"), &Value::Bool(true));
    assert!(float(&d, "overte.entity.spin_start").is_nan());
    assert_eq!(val(&d, "overte.entity.particle_rotate_with_entity"), &Value::Bool(false));
}

#[test]
fn types_exist_from_their_version() {
    // A Script entity (20) edit: NAME (6), then its own SCRIPT_ENABLED (86 in 151).
    let mut e = edit(b"\x03\x00abc\x01");
    e.entity_type = 20;
    e.property_flags = Cow::Owned(flags_encode(&[6, 86]));
    let mut p = Vec::new();
    e.emit(&mut p);
    let (d, r) = run_version(ENTITY_EDIT, 151, &p);
    assert_eq!(r, Decoded::Full);
    assert!(tags(&d).is_empty(), "{:?}", tags(&d));
    assert_eq!(val(&d, "overte.entity.type"), &Value::Enum { value: 20, name: Some("Script") });
    assert_eq!(val(&d, "overte.entity.name"), &text("abc"));
    assert_eq!(val(&d, "overte.entity.script_enabled"), &Value::Bool(true));
    // In 147 there is no type 20: past the shared properties the record cannot be followed.
    let (d, r) = run_version(ENTITY_EDIT, 147, &p);
    assert_eq!(r, Decoded::Partial);
    assert_eq!(val(&d, "overte.entity.type"), &Value::Enum { value: 20, name: None });
    assert_eq!(val(&d, "overte.entity.name"), &text("abc"));
    assert_eq!(tags(&d), ["overte.payload.not_decoded"]);
    assert!(d.experts()[0].message.contains("type 20"));
}

/// Each enumeration's values are named as Overte's enum headers number them.
#[test]
fn enumerations_are_named_as_overte_numbers_them() {
    use udpdissect_core::{FieldInfo, FieldKind};
    let named = |key: &'static str, value: usize| {
        let fi = FieldInfo::new(key, "", FieldKind::Unsigned, "");
        props::names(&fi).and_then(|names| names.get(value).copied())
    };
    for (key, value, name) in [
        ("overte.entity.material_mapping_mode", 2, "TRIPLANAR"),
        ("overte.entity.pulse_color_mode", 1, "IN_PHASE"),
        ("overte.entity.pulse_alpha_mode", 2, "OUT_PHASE"),
        ("overte.entity.text_alignment", 2, "RIGHT"),
        ("overte.entity.text_vertical_alignment", 1, "BOTTOM"),
        ("overte.entity.text_effect", 2, "OUTLINE_WITH_FILL_EFFECT"),
        ("overte.entity.input_mode", 0, "TOUCH"),
        ("overte.entity.gizmo_type", 0, "RING"),
        ("overte.entity.tonemapping_curve", 3, "FILMIC"),
        ("overte.entity.ambient_occlusion_technique", 1, "HBAO"),
        ("overte.entity.tonemapping_mode", 2, "ENABLED"),
        ("overte.entity.billboard_mode", 1, "YAW"),
    ] {
        assert_eq!(named(key, value), Some(name), "{key} {value}");
    }
    // Past the last name, and a property that is not an enumeration: the number alone.
    assert_eq!(named("overte.entity.gizmo_type", 1), None);
    assert_eq!(named("overte.entity.text_effect", 4), None);
    assert_eq!(named("overte.entity.line_height", 0), None);
}
