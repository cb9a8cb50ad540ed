#!/usr/bin/env bash
# Many kill -9 cycles of the crash test (make test runs 3).
#   scripts/crash-test.sh [CYCLES]   (default 50)
set -euo pipefail
cd "$(dirname "$0")/.."
CANVASS_CRASH_CYCLES="${1:-50}" cargo test -p server --test crash_recovery -- --nocapture
