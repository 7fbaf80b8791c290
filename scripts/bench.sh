#!/usr/bin/env bash
# The benchmark command (the performance issue; figures go in docs/figures.md): one run on this
# machine, one table. Nothing here asserts a time.
#
#   scripts/bench.sh [FILTER]
#
# Builds what it measures when an input changed (the page in dist/ and the engine's npm package,
# through scripts/test.sh's build and wasm-pack layers; the native `bench_case` example), then:
#   native      each case in a process of its own (target/release/examples/bench_case): the
#               lessons in tests/scenarios over 10 virtual minutes, and 100, 1,000 and 10,000 pods
#               (100 per node) with one exec, httpGet or tcpSocket readiness probe every 10 s over
#               1 virtual hour: CPU seconds, peak memory, timeline changes per CPU second;
#   wasm        the same cases through the npm package in Node (scripts/bench-wasm.mjs);
#   webernetes  the same cases on Webernetes (scripts/bench-webernetes.mjs; @ngrok/webernetes
#               installed into bench/webernetes/, never into the page; a case over its CPU budget,
#               WEBERNETES_BUDGET_S, default 120, says so);
#   page        dist/'s sizes, raw and gzipped, and the first simulated view in headless Chromium
#               (scripts/bench-first-view.mjs);
# and scripts/bench-report.mjs prints the table (also written to target/bench/report.md).
#
# FILTER: comma-separated substrings of case names (`liveness`, `exec-,httpGet-100`).
# PODPLAY_BENCH_SIZES=100,1000 picks the pod counts; PODPLAY_BENCH_SKIP=webernetes,page skips
# parts (native, wasm, webernetes, page).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

FILTER="${1:-}"
OUT="$ROOT/target/bench"
mkdir -p "$OUT"
export PODPLAY_BENCH_SIZES="${PODPLAY_BENCH_SIZES:-100,1000,10000}"
SKIP=",${PODPLAY_BENCH_SKIP:-},"
skipped() { [[ "$SKIP" == *",$1,"* ]]; }
picked() {
  [ -z "$FILTER" ] && return 0
  local f; IFS=',' read -ra fs <<< "$FILTER"
  for f in "${fs[@]}"; do [ -n "$f" ] && [[ "$1" == *"$f"* ]] && return 0; done
  return 1
}

echo "=== bench: building what is measured"
cargo build --release -q -p podplay-session --example bench_case
skipped page || scripts/test.sh build >/dev/null
skipped wasm || scripts/test.sh wasm-pack >/dev/null

if ! skipped native; then
  echo "=== bench: native"
  : > "$OUT/native.jsonl"
  for f in tests/scenarios/*.yaml; do
    name=$(basename "$f" .yaml)
    picked "$name" || continue
    target/release/examples/bench_case scenario "$f" 600 | tee -a "$OUT/native.jsonl"
  done
  IFS=',' read -ra SIZES <<< "$PODPLAY_BENCH_SIZES"
  for pods in "${SIZES[@]}"; do
    for kind in exec httpGet tcpSocket; do
      picked "$kind-$pods" || continue
      target/release/examples/bench_case cluster "$kind" "$pods" 3600 | tee -a "$OUT/native.jsonl"
    done
  done
fi
if ! skipped wasm; then
  echo "=== bench: wasm"
  node scripts/bench-wasm.mjs --json "$OUT/wasm.json" $FILTER
fi
if ! skipped webernetes; then
  echo "=== bench: webernetes"
  node scripts/bench-webernetes.mjs --json "$OUT/webernetes.json" $FILTER
fi
if ! skipped page; then
  echo "=== bench: page"
  wasm=$(ls dist/*.wasm | head -1)
  {
    echo "{"
    echo "  \"wasm\": [$(stat -c %s "$wasm"), $(gzip -9c "$wasm" | wc -c)],"
    echo "  \"js\": [$(cat dist/*.js dist/engine/*.js | wc -c), $(cat dist/*.js dist/engine/*.js | gzip -9c | wc -c)],"
    # Everything a first visit downloads: each file gzipped on its own, as a server sends it.
    total=0; total_gz=0
    for f in $(find dist -type f); do
      total=$((total + $(stat -c %s "$f"))); total_gz=$((total_gz + $(gzip -9c "$f" | wc -c)))
    done
    echo "  \"page\": [$total, $total_gz]"
    echo "}"
  } > "$OUT/sizes.json"
  cat "$OUT/sizes.json"
  node scripts/bench-first-view.mjs 7 --json "$OUT/first-view.json"
fi
echo "=== bench: report"
node scripts/bench-report.mjs "$OUT" | tee "$OUT/report.md"
