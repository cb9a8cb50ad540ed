#!/usr/bin/env bash
# Fuzz the core's entry points and the server's event-stream hand-off for a while (not part
# of CI; `make fuzz-smoke` runs the hand-off's stable twin for a few seconds in `make test`).
#   scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 60)
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`). These machines have only a
# stable toolchain, so RUSTC_BOOTSTRAP=1 lets it use the sanitizer flags it needs.
# Crashes land in fuzz/artifacts/<target>/; the corpus grows in fuzz/corpus/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
command -v cargo-fuzz >/dev/null || { echo "cargo-fuzz is missing: cargo install cargo-fuzz --locked"; exit 1; }
for target in answers_json answers_form definition stream_handoff; do
  echo "==> fuzzing $target for ${seconds}s"
  RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" -- -max_total_time="$seconds" -max_len=4096
done
echo "No crashes found."
