#!/usr/bin/env bash
# Runs the fuzzers for the given time per target and prints each one's executions, failures and
# slow runs (over 1 s):
#   yaml, shell   the engine (crates/podplay-session/examples/fuzz.rs: a stable-toolchain
#                 mutation fuzzer; cargo-fuzz needs nightly)
#   link, message the page's share-link decoding and postMessage handler (scripts/fuzz-web.mjs)
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [SEED] [TARGET...]   (default 60 s, seed 1, all four)
# Failing inputs go to target/fuzz/<target>/; exits 1 when any target found one.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"; seed="${2:-1}"
shift $(( $# < 2 ? $# : 2 ))
targets=("${@:-yaml shell link message}")
read -r -a targets <<< "${targets[*]}"
status=0
for target in "${targets[@]}"; do
  case "$target" in
    yaml|shell)
      cargo build --release -q -p podplay-session --example fuzz
      target/release/examples/fuzz "$target" "$seconds" "$seed" || status=1 ;;
    link|message)
      node scripts/fuzz-web.mjs "$target" "$seconds" "$seed" || status=1 ;;
    *) echo "fuzz.sh: unknown target $target (yaml, shell, link, message)" >&2; exit 2 ;;
  esac
done
exit $status
