#!/usr/bin/env bash
# Compares udpdissect with tshark on generated captures of N and 2N packets: wall time,
# peak RSS and packets/s for the default summary and -T fields (N and 2N), -T fields with
# protocol columns, -T ek and -T ndjson against tshark -T ek, -T pdml against tshark's,
# -q -z conv,udp and `stats` against tshark -q -z conv,udp (N), the summary, protocol columns,
# JSON and `stats` also on one thread, the summary of each protocol family alone (cut from the
# N capture); the statistics against a raw walk over the records (N); and checks that
# udpdissect's peak memory does not grow with the capture size.
#
# Usage: scripts/bench-tshark.sh [N]        (N defaults to 1000000)
#
# Needs: cargo, tshark, GNU time (/usr/bin/time; Debian/Ubuntu: apt-get install time).
# Captures are written to ./bench-data/ (gitignored) and reused when present.
# udpdissect's tables are bounded; with N much below 100 000 the check may report their
# filling (up to 65 536 conversations) as growth.
# Exit status: 0 when memory stayed flat, 1 when it grew (or on any error).
# Environment: CARGO_TARGET_DIR is honoured (default ./target); UDPDISSECT_BIN runs another
# build of udpdissect, such as the profile-guided one (scripts/build-pgo.sh).

set -euo pipefail

N=${1:-1000000}
if ! [[ $N =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: $0 [N]   (N: a positive packet count, default 1000000)" >&2
    exit 2
fi
N2=$((N * 2))

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
DATA=$ROOT/bench-data
TIME=/usr/bin/time

# --- prerequisites --------------------------------------------------------------------------
missing=0
if [[ ! -x $TIME ]] || ! $TIME -f '%e %M' true >/dev/null 2>&1; then
    echo "error: GNU time is needed at $TIME (for wall time and peak RSS)." >&2
    echo "       Install it with: apt-get install time   (or your system's equivalent)" >&2
    missing=1
fi
if ! command -v tshark >/dev/null 2>&1; then
    echo "error: tshark is not on PATH. Install it with: apt-get install tshark" >&2
    missing=1
fi
if ! command -v cargo >/dev/null 2>&1; then
    echo "error: cargo is not on PATH." >&2
    missing=1
fi
((missing == 0)) || exit 1

# --- machine facts --------------------------------------------------------------------------
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || true)
echo "== machine"
echo "date:     $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "host:     $(uname -srm)"
echo "nproc:    $(nproc)"
echo "cpu:      ${cpu:-unknown}"
echo "memory:   ${mem:-unknown}"
echo "rustc:    $(rustc --version)"
echo "tshark:   $(tshark -v 2>/dev/null | head -n 1)"
echo "revision: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "load:     $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown) (1, 5, 15 min)"
echo

# --- build ----------------------------------------------------------------------------------
echo "== build (release)"
cargo build --release -p udpdissect -p udpdissect-samples --bins
cargo build --release -p udpdissect-capture --example walk
UD=${UDPDISSECT_BIN:-$TARGET/release/udpdissect}
GEN=$TARGET/release/gen-captures
WALK=$TARGET/release/examples/walk
[[ -x $UD ]] || { echo "error: $UD was not built" >&2; exit 1; }
[[ -x $GEN ]] || { echo "error: $GEN was not built" >&2; exit 1; }
echo

# --- captures -------------------------------------------------------------------------------
mkdir -p "$DATA"
capture() { # count -> path (generated unless already present and non-empty)
    local n=$1 f=$DATA/bench-$1.pcap
    if [[ ! -s $f ]]; then
        echo "generating $f ($n packets)" >&2
        "$GEN" --benchmark "$n" "$f.tmp" >&2
        mv "$f.tmp" "$f"
    else
        echo "reusing $f" >&2
    fi
    echo "$f"
}
echo "== captures"
F1=$(capture "$N")
F2=$(capture "$N2")
ls -l "$F1" "$F2"
# Sanity check on the packet count, with udpdissect itself (the last frame number).
got=$("$UD" -T fields -e frame.number "$F1" | tail -n 1)
if [[ $got != "$N" ]]; then
    echo "error: $F1 has $got frames, expected $N (delete it to regenerate)" >&2
    exit 1
fi
echo

# --- measurement ----------------------------------------------------------------------------
# run LABEL PACKETS CMD... : runs CMD with stdout to /dev/null under GNU time and appends
# "label<TAB>packets<TAB>seconds<TAB>peak-kB" to $RESULTS. A failing command aborts the script.
RESULTS=$(mktemp)
TIMEFILE=$(mktemp)
trap 'rm -f "$RESULTS" "$TIMEFILE"' EXIT
run() {
    local label=$1 packets=$2
    shift 2
    echo "running: $* > /dev/null" >&2
    if ! $TIME -o "$TIMEFILE" -f '%e %M' "$@" >/dev/null; then
        echo "error: command failed: $*" >&2
        exit 1
    fi
    local secs kb
    read -r secs kb <"$TIMEFILE"
    printf '%s\t%s\t%s\t%s\n' "$label" "$packets" "$secs" "$kb" >>"$RESULTS"
}

FIELDS=(-T fields -e frame.number -e ip.src -e udp.srcport)
# Columns of the protocols: these need every datagram dissected (the ones above do not).
PFIELDS=(-T fields -e frame.number -e overte.type -e eqstream.eq2.opcode -e heartbeat.uid)
echo "== runs"
# Pairs: udpdissect, then the tshark equivalent. On N packets every output; on 2N the summary
# and the field columns (for the memory check).
for f in "$F1" "$F2"; do
    if [[ $f == "$F1" ]]; then n=$N; else n=$N2; fi
    cat "$f" >/dev/null # same start for everyone: the file in the page cache
    run "udpdissect FILE ($n)" "$n" "$UD" "$f"
    run "tshark -n -r FILE ($n)" "$n" tshark -n -r "$f"
    if [[ $f == "$F1" ]]; then
        # The same on one core: the summary, the columns and the statistics dissect on a
        # second one by default.
        run "udpdissect FILE, one thread ($n)" "$n" env UDPDISSECT_THREADS=1 "$UD" "$f"
        run "tshark -n -r FILE ($n)" "$n" tshark -n -r "$f"
    fi
    run "udpdissect -T fields ($n)" "$n" "$UD" "${FIELDS[@]}" "$f"
    run "tshark -n -r FILE -T fields ($n)" "$n" tshark -n -r "$f" "${FIELDS[@]}"
    if [[ $f == "$F1" ]]; then
        run "udpdissect -T fields, protocols ($n)" "$n" "$UD" "${PFIELDS[@]}" "$f"
        run "tshark -n -r FILE -T fields ($n)" "$n" tshark -n -r "$f" "${FIELDS[@]}"
        run "udpdissect -T fields, protocols, one thread ($n)" "$n" env UDPDISSECT_THREADS=1 "$UD" "${PFIELDS[@]}" "$f"
        run "tshark -n -r FILE -T fields ($n)" "$n" tshark -n -r "$f" "${FIELDS[@]}"
        run "udpdissect -T ek ($n)" "$n" "$UD" -T ek "$f"
        run "tshark -n -r FILE -T ek ($n)" "$n" tshark -n -r "$f" -T ek
        run "udpdissect -T pdml ($n)" "$n" "$UD" -T pdml "$f"
        run "tshark -n -r FILE -T pdml ($n)" "$n" tshark -n -r "$f" -T pdml
        run "udpdissect -T ndjson ($n)" "$n" "$UD" -T ndjson "$f"
        run "tshark -n -r FILE -T ek ($n)" "$n" tshark -n -r "$f" -T ek
        run "udpdissect -T ndjson, one thread ($n)" "$n" env UDPDISSECT_THREADS=1 "$UD" -T ndjson "$f"
        run "tshark -n -r FILE -T ek ($n)" "$n" tshark -n -r "$f" -T ek
        run "udpdissect -q -z conv,udp ($n)" "$n" "$UD" -q -z conv,udp "$f"
        run "tshark -n -q -z conv,udp ($n)" "$n" tshark -n -r "$f" -q -z conv,udp
        run "udpdissect stats (every table) ($n)" "$n" "$UD" stats "$f"
        run "tshark -n -q -z conv,udp ($n)" "$n" tshark -n -r "$f" -q -z conv,udp
        run "udpdissect stats (every table), one thread ($n)" "$n" env UDPDISSECT_THREADS=1 "$UD" stats "$f"
        run "tshark -n -q -z conv,udp ($n)" "$n" tshark -n -r "$f" -q -z conv,udp
    fi
done
# Each family alone, cut from the N capture by protocol (kept beside it): what a user's capture
# of one client usually is. The summary, by default (a look at the first frames decides whether
# a second thread dissects).
for proto in overte eqstream overnet heartbeat; do
    g=$DATA/bench-$N-$proto.pcap
    if [[ ! -s $g ]]; then
        "$UD" -r "$F1" -Y "$proto" -F pcap -w "$g.tmp"
        mv "$g.tmp" "$g"
    fi
    k=$("$UD" -T fields -e frame.number "$g" | wc -l)
    cat "$g" >/dev/null
    run "udpdissect FILE, $proto alone ($k)" "$k" "$UD" "$g"
    run "tshark -n -r FILE ($k)" "$k" tshark -n -r "$g"
done
# Unpaired: the statistics against the floor, a walk that only reads the records.
WALKS=$(mktemp)
trap 'rm -f "$RESULTS" "$TIMEFILE" "$WALKS"' EXIT
RESULTS_PAIRS=$RESULTS
RESULTS=$WALKS
run "raw walk over the records ($N)" "$N" "$WALK" "$F1"
run "udpdissect stats -z summary -z endpoints,udp ($N)" "$N" "$UD" stats -z summary -z endpoints,udp "$F1"
run "udpdissect stats -z conv,udp ($N)" "$N" "$UD" stats -z conv,udp "$F1"
run "udpdissect stats (every table) ($N)" "$N" "$UD" stats "$F1"
RESULTS=$RESULTS_PAIRS
echo

# --- report ---------------------------------------------------------------------------------
# The runs themselves keep one core busy (load ~1); more means other work competed with them.
load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo 0)
echo "load after the runs: $load"
if awk -v l="$load" 'BEGIN { exit !(l > 2.5) }'; then
    echo "warning: the machine was busy during the runs (load average $load); timings may be inflated"
fi
echo
echo "== results (fields: -e frame.number -e ip.src -e udp.srcport)"
awk -F'\t' '
    { label[NR] = $1; pk[NR] = $2; s[NR] = $3; kb[NR] = $4 }
    END {
        printf "%-38s %10s %9s %12s %14s\n", "command", "packets", "seconds", "peak RSS MB", "packets/s"
        for (i = 1; i <= NR; i++) {
            pps = (s[i] > 0) ? sprintf("%.0f", pk[i] / s[i]) : "inf"
            printf "%-38s %10d %9.2f %12.1f %14s\n", label[i], pk[i], s[i], kb[i] / 1024, pps
        }
        print ""
        print "ratio tshark seconds / udpdissect seconds (rows come in pairs):"
        for (i = 1; i + 1 <= NR; i += 2) {
            printf "  %-38s %7s x\n", label[i], (s[i] > 0) ? sprintf("%.1f", s[i + 1] / s[i]) : "inf"
        }
    }' "$RESULTS"
echo
echo "== statistics against a raw walk over the records"
awk -F'\t' '
    NR == 1 { floor = $3 }
    { printf "%-48s %9.2f s %9.1f MB %9s x the walk\n", $1, $3, $4 / 1024, (floor > 0) ? sprintf("%.1f", $3 / floor) : "inf" }
' "$WALKS"
echo

# Flat memory: udpdissect's peak RSS on 2N must not exceed that on N by more than 10 % + 2 MB
# (allocator noise), for both the summary and the fields runs.
echo "== memory: udpdissect peak RSS, $N vs $N2 packets"
status=0
check_flat() {
    local what=$1 a b
    a=$(awk -F'\t' -v l="udpdissect $what ($N)" '$1 == l { print $4 }' "$RESULTS")
    b=$(awk -F'\t' -v l="udpdissect $what ($N2)" '$1 == l { print $4 }' "$RESULTS")
    if awk -v a="$a" -v b="$b" 'BEGIN { exit !(b <= a * 1.10 + 2048) }'; then
        verdict="flat"
    else
        verdict="GROWS"
        status=1
    fi
    awk -v w="$what" -v a="$a" -v b="$b" -v v="$verdict" \
        'BEGIN { printf "  %-10s %8.1f MB -> %8.1f MB  (%+.1f MB)  %s\n", w, a / 1024, b / 1024, (b - a) / 1024, v }'
}
check_flat "FILE"
check_flat "-T fields"
exit $status
