# Developer recipes (`cargo install just`). CI runs .ci/run, which needs none of these.

# The README's test command.
test:
    cargo test --workspace

# Formatting and lints, as CI checks them.
lint:
    cargo fmt --all --check
    cargo clippy --workspace --all-targets -- -D warnings

# Everything CI runs.
ci:
    bash .ci/run

# Criterion benchmarks of the capture walk and the dissect path.
bench:
    cargo bench --bench pipeline

# Whole-process runs against tshark on a generated capture of N packets (and 2N), with peak RSS.
bench-tshark N="1000000":
    bash scripts/bench-tshark.sh {{N}}

# Interleaved rounds against tshark (best and median of each command), for hosts whose speed drifts.
bench-rounds FILE="bench-data/bench-1000000.pcap" ROUNDS="5":
    bash scripts/bench-rounds.sh {{FILE}} {{ROUNDS}}

# The same rounds with the profile-guided build beside the plain one.
bench-rounds-pgo FILE="bench-data/bench-1000000.pcap" ROUNDS="5":
    bash scripts/bench-rounds.sh --pgo {{FILE}} {{ROUNDS}}

# The fastest build: the release build optimized with a profile of its own runs on a generated
# capture and the samples (about four minutes; needs the toolchain's llvm-tools). Prints the
# binary's path (target/pgo/udpdissect) after checking its output against the plain build's.
release-pgo:
    bash scripts/build-pgo.sh

# Regenerate the sample captures in captures/ from their generator.
captures:
    cargo run -p udpdissect-samples --bin gen-captures -- captures

# Check every capture in captures/ against its expected decode (captures/*.expected).
regress:
    cargo run -- regress captures

# Rewrite the golden outputs and the expected decodes after an intended change (review the
# diff before committing).
bless:
    INSTA_UPDATE=always cargo test --test golden
    INSTA_UPDATE=always cargo test --test cli
    cargo run -- regress --bless captures

# Fuzz one target for a while (`cargo install cargo-fuzz`; RUSTC_BOOTSTRAP lets the stable toolchain
# take the sanitizer flags), from its committed seeds and the sample captures: just fuzz overte 600.
# Targets: reader, pipeline, datagrams, overte, eqstream, overnet, heartbeat, filter (docs/fuzzing.md).
fuzz TARGET="reader" SECONDS="60":
    mkdir -p fuzz/corpus/{{TARGET}}
    if [ -d fuzz/seeds/{{TARGET}} ]; then cp -n fuzz/seeds/{{TARGET}}/* fuzz/corpus/{{TARGET}}/; fi
    cp captures/*.pcap captures/*.pcapng captures/*.gz fuzz/corpus/{{TARGET}}/
    cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run {{TARGET}} corpus/{{TARGET}} -- -max_total_time={{SECONDS}}

# Shrink a target's grown corpus to the inputs that keep its coverage, into fuzz/seeds/ (commit
# the result: tests/fuzz_corpus.rs replays it).
fuzz-seeds TARGET:
    cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz cmin {{TARGET}} corpus/{{TARGET}}
    rm -rf fuzz/seeds/{{TARGET}} && cp -r fuzz/corpus/{{TARGET}} fuzz/seeds/{{TARGET}}
