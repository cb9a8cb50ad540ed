#!/usr/bin/env bash
# How fast one server sends a queue of invitations through a real SMTP server (aiosmtpd on
# loopback, writing a Maildir): N contacts imported, `canvass invite send`, and the time
# until the last message is in the Maildir. Writes the figure to BENCHMARKS.md.
#
#   server/benches/mail_rate.sh [BINARY] [N] [RATE_PER_MINUTE]
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-target/release/canvass}
N=${2:-500}
RATE=${3:-6000}
WORK=$(mktemp -d)
trap 'kill $SINK $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
/usr/bin/python3 server/tests/support/smtp_sink.py "$PORT" "$WORK/Maildir" > "$WORK/sink.log" &
SINK=$!
sleep 1
DB="sqlite://$WORK/canvass.db"
{ echo email; for i in $(seq 1 "$N"); do echo "person$i@council.gov.uk"; done; } > "$WORK/panel.csv"
CANVASS_LOG=warn "$BIN" serve --addr 127.0.0.1:0 --database "$DB" --surveys surveys \
  --smtp-url "smtp://127.0.0.1:$PORT" --mail-from survey@canvass.example --mail-rate "$RATE" > "$WORK/serve.log" 2>&1 &
SERVER=$!
sleep 2
"$BIN" invite import public-sector-social-media "$WORK/panel.csv" --database "$DB" > /dev/null
START=$(date +%s.%N)
"$BIN" invite send public-sector-social-media --public-url http://127.0.0.1 --database "$DB" > /dev/null
while [ "$(ls "$WORK/Maildir/new" 2>/dev/null | wc -l)" -lt "$N" ]; do sleep 0.05; done
END=$(date +%s.%N)
SECONDS_TAKEN=$(echo "$END - $START" | bc -l)
PER_MINUTE=$(echo "$N * 60 / $SECONDS_TAKEN" | bc -l)
LINE=$(printf '| %s invitations, --mail-rate %s | %.1f s | %.0f messages a minute |' "$N" "$RATE" "$SECONDS_TAKEN" "$PER_MINUTE")
echo "$LINE"
if ! grep -q '^## Email sending rate' BENCHMARKS.md; then
  printf '\n## Email sending rate\n\nOne server (release build) sending a queue of invitations to aiosmtpd on loopback, from `canvass invite send` to the last message in the Maildir (each message: claim, SMTP conversation on a new connection, record). Command: `server/benches/mail_rate.sh $CARGO_TARGET_DIR/release/canvass 500 6000` (the binary `make build` makes).\n\n| run | time | rate |\n|---|---|---|\n' >> BENCHMARKS.md
fi
echo "$LINE" >> BENCHMARKS.md
