#!/usr/bin/env bash
# Interleaved rounds against tshark on one capture, for hosts whose speed drifts: each round
# runs tshark's summary, udpdissect's summary on one thread and on two, tshark's
# -q -z conv,udp, udpdissect's `stats` on two threads and on one, and udpdissect's
# -q -z conv,udp on two and on one, one after the other. Prints every run, the best and the
# median of each command, and the ratios best against best and median against median.
#
# Usage: scripts/bench-rounds.sh [FILE] [ROUNDS]
#        (FILE defaults to bench-data/bench-1000000.pcap, made with gen-captures when absent;
#         ROUNDS to 5)
#
# Needs: cargo, tshark, python3, GNU time (/usr/bin/time). Environment: CARGO_TARGET_DIR.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
FILE=${1:-bench-data/bench-1000000.pcap}
ROUNDS=${2:-5}
if ! [[ $ROUNDS =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: $0 [FILE] [ROUNDS]   (ROUNDS: a positive count, default 5)" >&2
    exit 2
fi
for tool in tshark python3 /usr/bin/time; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "error: $tool is needed (Debian: apt-get install tshark python3 time)" >&2
        exit 2
    fi
done
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
cargo build --release --quiet --bin udpdissect --bin gen-captures
BIN=$TARGET/release/udpdissect
if [[ ! -f $FILE ]]; then
    mkdir -p "$(dirname "$FILE")"
    "$TARGET/release/gen-captures" --benchmark 1000000 "$FILE"
fi

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
    run summary_1 env UDPDISSECT_THREADS=1 "$BIN" "$FILE"
    run summary_2 "$BIN" "$FILE"
    run tshark_conv_udp tshark -q -z conv,udp -r "$FILE"
    run stats_2 "$BIN" stats "$FILE"
    run stats_1 env UDPDISSECT_THREADS=1 "$BIN" stats "$FILE"
    run conv_udp_2 "$BIN" -q -z conv,udp "$FILE"
    run conv_udp_1 env UDPDISSECT_THREADS=1 "$BIN" -q -z conv,udp "$FILE"
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
for name, theirs in [("summary_1", "tshark_summary"), ("summary_2", "tshark_summary"),
                     ("stats_2", "tshark_conv_udp"), ("stats_1", "tshark_conv_udp"),
                     ("conv_udp_2", "tshark_conv_udp"), ("conv_udp_1", "tshark_conv_udp")]:
    best = min(runs[theirs]) / min(runs[name])
    median = statistics.median(runs[theirs]) / statistics.median(runs[name])
    print(f"{name:16} {best:9.1f}x {median:13.1f}x")
PY
