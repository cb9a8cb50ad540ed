#!/usr/bin/env bash
# Durable submissions through the JSON API measured with wrk, a client lighter than the
# in-repo generator, against the release binary as operators run it (same machine):
# the rate, wrk's latency percentiles, the rows stored (every acknowledged key must be
# there), and the server's resident memory idle and at its peak under the load.
#
#   server/benches/wrk_submit.sh [BINARY] [CONNECTIONS] [SECONDS] [TARGET_RATE]
#
# Needs `wrk` (apt install wrk). Without TARGET_RATE wrk runs flat out. With it, each
# connection pauses between requests (wrk's Lua `delay`) so that together they offer about
# that many a second: the latency at 70% of the maximum. Debian's wrk is not wrk2 (no -R),
# so the pause follows each answer rather than a fixed schedule, and the achieved rate
# comes out a little under the target; it is the rate reported.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-${CARGO_TARGET_DIR:-target}/release/canvass}
CONNECTIONS=${2:-64}
DURATION=${3:-10}
TARGET=${4:-0}
PACE=0
[ "$TARGET" -gt 0 ] && PACE=$((CONNECTIONS * 1000 / TARGET))
command -v wrk > /dev/null || { echo "wrk is missing: apt install wrk"; exit 1; }
WORK=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; kill $SAMPLER 2>/dev/null || true; rm -rf "$WORK"' EXIT
PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
CANVASS_LOG=warn "$BIN" serve --addr "127.0.0.1:$PORT" --database "sqlite://$WORK/w.db" --surveys surveys --submit-rate 0 > "$WORK/serve.log" 2>&1 &
SERVER=$!
until curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null; do sleep 0.1; done
sleep 2
IDLE=$(awk '/VmRSS/ {print $2}' /proc/$SERVER/status)
# The peak resident memory, sampled every 100 ms while wrk runs.
( peak=0; while kill -0 $SERVER 2>/dev/null; do r=$(awk '/VmRSS/ {print $2}' /proc/$SERVER/status 2>/dev/null || echo 0); [ "${r:-0}" -gt "$peak" ] && peak=$r && echo $peak > "$WORK/peak"; sleep 0.1; done ) &
SAMPLER=$!
WRK_PACE_MS=$PACE wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s scripts/wrk-submit.lua "http://127.0.0.1:$PORT" > "$WORK/wrk.txt" 2>&1
sleep 1
STORED=$(/usr/bin/python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from responses').fetchone()[0])" "$WORK/w.db")
PEAK=$(cat "$WORK/peak")
RATE=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt")
P50=$(awk '$1=="50%" {print $2}' "$WORK/wrk.txt")
P99=$(awk '$1=="99%" {print $2}' "$WORK/wrk.txt")
REQUESTS=$(awk '/requests in/ {print $1}' "$WORK/wrk.txt")
ERRORS=$(grep -c "unexpected status" "$WORK/wrk.txt" || true)
echo "wrk -c$CONNECTIONS ${DURATION}s$([ "$TARGET" -gt 0 ] && echo " paced for $TARGET/s"): $RATE submissions/s, p50 $P50, p99 $P99; $REQUESTS acknowledged, $ERRORS refused, $STORED rows stored; server memory $((IDLE / 1024)) MB idle, peak $((PEAK / 1024)) MB under load"
