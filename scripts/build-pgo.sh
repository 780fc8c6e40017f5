#!/usr/bin/env bash
# Builds udpdissect with profile-guided optimization (PGO): an instrumented build is run on a
# generated mixed capture and on every sample capture, and the release build is then compiled
# with the profile it wrote. The compiler lays out the hot paths of the dissectors together and
# moves what the profile never ran out of the way; the instruction cache then holds more of the
# per-packet path (docs/performance.md: 10-18 % less wall time, output byte-identical).
#
# Usage: scripts/build-pgo.sh
#
# Prints the optimized binary's path on stdout when done: $CARGO_TARGET_DIR/pgo/udpdissect
# (default ./target/pgo/udpdissect). Before it does, it checks that the optimized binary writes
# the same bytes as the plain release build on every training run, and exits 1 if not.
#
# Needs: cargo and llvm-profdata from the toolchain's llvm-tools component (installed with
# `rustup component add llvm-tools` when missing). Takes about four minutes: two release builds
# with whole-program optimization, each in a target directory of its own so the ordinary
# release build is left alone.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
PGO=$TARGET/pgo
PROFILES=$PGO/profiles

SYSROOT=$(rustc --print sysroot)
HOST=$(rustc -vV | sed -n 's/^host: //p')
PROFDATA=$SYSROOT/lib/rustlib/$HOST/bin/llvm-profdata
if [[ ! -x $PROFDATA ]]; then
    echo "llvm-profdata not found in the toolchain; adding the llvm-tools component" >&2
    if ! rustup component add llvm-tools >&2 || [[ ! -x $PROFDATA ]]; then
        echo "error: llvm-profdata is needed: run 'rustup component add llvm-tools'" >&2
        exit 2
    fi
fi

# The plain build: the training capture's generator, and the output the optimized build must match.
cargo build --release --locked --quiet -p udpdissect -p udpdissect-samples --bins
PLAIN=$TARGET/release/udpdissect
mkdir -p "$PGO"
# Long enough that the tables fill (the conversations' at about 236 000 packets) and most of
# each run goes on with them full, evicting, as it does on long captures. Trained on 200 000
# packets, the profile never ran those paths, and the build took 2 % longer on a million
# packets (docs/performance.md).
TRAIN_PACKETS=800000
TRAIN=$PGO/train-$TRAIN_PACKETS.pcap
[[ -f $TRAIN ]] || "$TARGET/release/gen-captures" --benchmark $TRAIN_PACKETS "$TRAIN" >&2

echo "instrumented build" >&2
rm -rf "$PROFILES"
RUSTFLAGS="${RUSTFLAGS:-} -Cprofile-generate=$PROFILES" \
    cargo build --release --locked --quiet --bin udpdissect --target-dir "$PGO/generate"

# A training run on the mixed capture must succeed (a renamed field would otherwise leave its
# path out of the profile unnoticed). Training output is discarded; fd 3 is the script's stderr.
exec 3>&2
must() {
    "$@" || {
        echo "error: a training run failed (exit $?): $*" >&3
        exit 1
    }
}

# What users run: every output on the mixed capture, on one thread and on two, and every sample
# capture through the summary, the tree, JSON and the statistics (their findings and damage paths).
runs() {
    local bin=$1
    # Columns of the lower layers alone, of the protocols alone (which write no layer fields),
    # and of both.
    local layers=(-e frame.number -e ip.src -e udp.srcport)
    local protocols=(-e overte.type -e eqstream.eq2.opcode -e heartbeat.uid -e overnet.opcode)
    for threads in 1 2; do
        export UDPDISSECT_THREADS=$threads
        must "$bin" "$TRAIN"
        must "$bin" -T fields "${layers[@]}" "$TRAIN"
        must "$bin" -T fields -e frame.number "${protocols[@]}" "$TRAIN"
        must "$bin" -T fields "${layers[@]}" "${protocols[@]}" -c 200000 "$TRAIN"
        must "$bin" stats "$TRAIN"
        must "$bin" -q -z conv,udp "$TRAIN"
        must "$bin" -T ndjson -c 40000 "$TRAIN"
        must "$bin" -T ek -c 40000 "$TRAIN"
        must "$bin" -V -c 20000 "$TRAIN"
        must "$bin" -Y 'overte.type == 3 or eqstream.app' -c 50000 "$TRAIN"
    done
    unset UDPDISSECT_THREADS
    for capture in captures/*.pcap captures/*.pcapng captures/*.gz; do
        "$bin" "$capture" || true
        "$bin" -V -x "$capture" || true
        "$bin" -T json "$capture" || true
        "$bin" stats "$capture" || true
    done
}

echo "training" >&2
(runs "$PGO/generate/release/udpdissect" >/dev/null 2>&1)
"$PROFDATA" merge -o "$PGO/udpdissect.profdata" "$PROFILES"

echo "optimized build" >&2
RUSTFLAGS="${RUSTFLAGS:-} -Cprofile-use=$PGO/udpdissect.profdata" \
    cargo build --release --locked --quiet --bin udpdissect --target-dir "$PGO/use"
cp "$PGO/use/release/udpdissect" "$PGO/udpdissect"

echo "checking the optimized build against the plain one" >&2
if ! cmp -s <(runs "$PLAIN" 2>&1) <(runs "$PGO/udpdissect" 2>&1); then
    echo "error: the optimized build's output differs from the plain release build's" >&2
    exit 1
fi
echo "$PGO/udpdissect"
