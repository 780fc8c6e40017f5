#!/usr/bin/env bash
# Interleaved rounds against tshark on one capture, for hosts whose speed drifts: each round
# runs tshark's summary, udpdissect's summary on one thread and on two, tshark's
# -q -z conv,udp, udpdissect's `stats` on two threads and on one, udpdissect's
# -q -z conv,udp on two and on one, tshark's -T fields with frame, IP and UDP columns and
# udpdissect's -T fields with protocol columns on one thread and on two, one after the other
# (tshark has no dissector for three of the four families: its lower-layer columns stand in). Prints every run, the best and the
# median of each command, and the ratios best against best and median against median.
# With --pgo, each round also runs the profile-guided build (scripts/build-pgo.sh, built
# first) on the same commands, in rows ending in _pgo.
#
# Usage: scripts/bench-rounds.sh [--pgo] [FILE] [ROUNDS]
#        (FILE defaults to bench-data/bench-1000000.pcap, made with gen-captures when absent;
#         ROUNDS to 5)
#
# Needs: cargo, tshark, python3, GNU time (/usr/bin/time). Environment: CARGO_TARGET_DIR.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PGO=
if [[ ${1:-} == --pgo ]]; then
    PGO=1
    shift
fi
FILE=${1:-bench-data/bench-1000000.pcap}
ROUNDS=${2:-5}
if ! [[ $ROUNDS =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: $0 [--pgo] [FILE] [ROUNDS]   (ROUNDS: a positive count, default 5)" >&2
    exit 2
fi
for tool in tshark python3 /usr/bin/time; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "error: $tool is needed (Debian: apt-get install tshark python3 time)" >&2
        exit 2
    fi
done
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
cargo build --release --quiet -p udpdissect -p udpdissect-samples --bins
BIN=$TARGET/release/udpdissect
# Each build to run, and what its rows' names end in.
BINS=("$BIN")
SUFFIXES=("")
if [[ -n $PGO ]]; then
    BINS+=("$(bash scripts/build-pgo.sh)")
    SUFFIXES+=(_pgo)
fi
if [[ ! -f $FILE ]]; then
    mkdir -p "$(dirname "$FILE")"
    "$TARGET/release/gen-captures" --benchmark 1000000 "$FILE"
fi

COLUMNS=(-T fields -e frame.number -e overte.type -e eqstream.eq2.opcode -e heartbeat.uid)
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
run() {
    local name=$1
    shift
    /usr/bin/time -f "$name %e" -a -o "$LOG" "$@" >/dev/null 2>/dev/null
}
for i in $(seq "$ROUNDS"); do
    echo "round $i of $ROUNDS" >&2
    run tshark_summary tshark -r "$FILE"
    for k in "${!BINS[@]}"; do
        bin=${BINS[k]} s=${SUFFIXES[k]}
        run summary_1$s env UDPDISSECT_THREADS=1 "$bin" "$FILE"
        run summary_2$s "$bin" "$FILE"
    done
    run tshark_conv_udp tshark -q -z conv,udp -r "$FILE"
    for k in "${!BINS[@]}"; do
        bin=${BINS[k]} s=${SUFFIXES[k]}
        run stats_2$s "$bin" stats "$FILE"
        run stats_1$s env UDPDISSECT_THREADS=1 "$bin" stats "$FILE"
        run conv_udp_2$s "$bin" -q -z conv,udp "$FILE"
        run conv_udp_1$s env UDPDISSECT_THREADS=1 "$bin" -q -z conv,udp "$FILE"
    done
    run tshark_fields tshark -r "$FILE" -T fields -e frame.number -e ip.src -e udp.srcport
    for k in "${!BINS[@]}"; do
        bin=${BINS[k]} s=${SUFFIXES[k]}
        run fields_1$s env UDPDISSECT_THREADS=1 "$bin" "${COLUMNS[@]}" "$FILE"
        run fields_2$s "$bin" "${COLUMNS[@]}" "$FILE"
    done
done

python3 - "$LOG" <<'PY'
import collections, statistics, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, seconds = line.split()
    runs[name].append(float(seconds))
print(f"{'command':16} {'seconds, each round':40} {'best':>6} {'median':>7}")
for name, v in runs.items():
    print(f"{name:16} {' '.join(f'{x:.2f}' for x in v):40} {min(v):6.2f} {statistics.median(v):7.2f}")
print()
print(f"{'against tshark':16} {'best/best':>10} {'median/median':>14}")
for name in runs:
    if name.startswith("tshark"):
        continue
    theirs = {"summary": "tshark_summary", "fields": "tshark_fields"}.get(name.split("_")[0], "tshark_conv_udp")
    best = min(runs[theirs]) / min(runs[name])
    median = statistics.median(runs[theirs]) / statistics.median(runs[name])
    print(f"{name:16} {best:9.1f}x {median:13.1f}x")
PY
