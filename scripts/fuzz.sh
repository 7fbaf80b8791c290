#!/usr/bin/env bash
# Runs the stable-toolchain mutation fuzzer (crates/podplay-session/examples/fuzz.rs) on each
# target for the given time, and prints its executions, panics and slow runs (over 1 s).
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [SEED]   (default 60 s, seed 1)
# Failing inputs go to target/fuzz/<target>/; exits 1 when any target found one.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"; seed="${2:-1}"
cargo build --release -q -p podplay-session --example fuzz
status=0
for target in yaml shell; do
  target/release/examples/fuzz "$target" "$seconds" "$seed" || status=1
done
exit $status
