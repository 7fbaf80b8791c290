#!/usr/bin/env bash
# Sets up what is missing, then runs every test layer in order, stopping at the first
# layer that fails or that ran no test:
#   lint      cargo fmt --check; cargo clippy -D warnings (workspace, all targets; the wasm crate for wasm32)
#   native    cargo test --workspace (unit, integration and scenario golden tests)
#   web-unit  the page's modules (web/src/*.js) unit-tested in Node, no browser (tests/web-unit/)
#   wasm-node the podplay-wasm tests compiled to wasm32, in Node (wasm-pack test --node)
#   wasm-chromium  the same tests in headless Chromium (wasm-pack test --headless --chrome)
#   build     trunk build --release into dist/
#   wasm-pack the engine's npm package (wasm-pack build --target web into target/wasm-pack/pkg/,
#             log wasm-pack-build.log), imported in Node and run by tests/wasm-pack/
#   e2e       the page in dist/, served under a sub-path, driven in headless Chromium
# wasm-pack runs offline: WASM_PACK_OFFLINE (env.sh) and --mode no-install.
# Usage: scripts/test.sh [LAYER...]   (default: all layers, in this order)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

LOGS="$ROOT/target/test-logs"
mkdir -p "$LOGS"
declare -a SUMMARY=()
TOTAL_PASSED=0
now() { date +%s.%N; }
secs() { awk -v s="$1" -v e="$2" 'BEGIN{printf "%.1f", e-s}'; }
fail() { echo; echo "test.sh: FAILED at layer '$1': $2" >&2; echo "test.sh: log: $LOGS/$1.log" >&2; exit 1; }

# Runs a layer's command with its output shown and kept in target/test-logs/LAYER.log.
run_layer() {
  local layer="$1"; shift
  echo; echo "=== test.sh: $layer: $*"
  local t0; t0=$(now)
  set +e
  "$@" 2>&1 | tee "$LOGS/$layer.log"
  local rc=${PIPESTATUS[0]}
  set -e
  LAYER_SECS=$(secs "$t0" "$(now)")
  [ "$rc" = 0 ] || fail "$layer" "exit code $rc"
}

# Sums "test result: ok. N passed; ..." lines (cargo and wasm-bindgen-test-runner).
cargo_passed() {
  local log="$LOGS/$1.log"
  grep -q '^test result: FAILED' "$log" && fail "$1" "a test failed"
  local n; n=$(grep -Eo '^test result: ok\. [0-9]+ passed' "$log" | awk '{s+=$4} END{print s+0}')
  [ "$n" -gt 0 ] || fail "$1" "ran 0 tests"
  echo "$n"
}

layer_lint() {
  run_layer lint bash -c 'set -e
    cargo fmt --all --check
    cargo clippy --workspace --all-targets --color never -- -D warnings
    cargo clippy --target wasm32-unknown-unknown -p podplay-wasm --all-targets --color never -- -D warnings'
  record lint "fmt and clippy clean"
}
layer_native() {
  run_layer native cargo test --workspace --color never
  local n; n=$(cargo_passed native)
  record native "$n passed"; TOTAL_PASSED=$((TOTAL_PASSED + n))
}
# The wasm tests through wasm-pack, which runs cargo test with the installed
# wasm-bindgen-test-runner and WASM_BINDGEN_TEST_ONLY_NODE or _ONLY_WEB set. tests/api.rs does not
# pick a mode (no wasm_bindgen_test_configure!), so the runner takes it from WASM_BINDGEN_USE_BROWSER:
# unset for Node; set for Chrome, else the ONLY_WEB run skips every test. The runner starts Chromium
# through chromedriver with headless, no-sandbox and disable-dev-shm-usage.
layer_wasm_node() {
  run_layer wasm-node env -u WASM_BINDGEN_USE_BROWSER "${WASM_PACK_OFFLINE[@]}" \
    wasm-pack test --mode no-install --node crates/podplay-wasm --color never
  grep -q 'Running headless tests in' "$LOGS/wasm-node.log" && fail wasm-node "the tests ran in a browser, not Node"
  grep -q 'only configured to run in a browser' "$LOGS/wasm-node.log" && fail wasm-node "tests were skipped as browser-only"
  local n; n=$(cargo_passed wasm-node)
  record wasm-node "$n passed"; TOTAL_PASSED=$((TOTAL_PASSED + n))
}
layer_wasm_chromium() {
  run_layer wasm-chromium env WASM_BINDGEN_USE_BROWSER=1 "${WASM_PACK_OFFLINE[@]}" \
    wasm-pack test --mode no-install --headless --chrome --chromedriver "$(command -v chromedriver)" crates/podplay-wasm --color never
  grep -q 'Running headless tests in Chrome' "$LOGS/wasm-chromium.log" || fail wasm-chromium "the tests did not run in headless Chrome"
  grep -q 'only configured to run in node.js' "$LOGS/wasm-chromium.log" && fail wasm-chromium "tests were skipped as Node-only"
  local n; n=$(cargo_passed wasm-chromium)
  record wasm-chromium "$n passed"; TOTAL_PASSED=$((TOTAL_PASSED + n))
}
# The inputs of dist/: when none changed since the last good build, the build is reused
# (wasm-opt alone takes about a minute). Never reused under CI or with PODPLAY_REBUILD=1.
build_inputs_hash() {
  { find crates web tests/scenarios scripts/bundle-editor.mjs scripts/csp.mjs Cargo.toml Cargo.lock Trunk.toml package-lock.json \
      -path web/build -prune -o -type f -print0 | sort -z | xargs -0 sha256sum
    trunk --version; wasm-bindgen --version; wasm-opt --version; rustc --version; } | sha256sum | cut -d' ' -f1
}
tree_hash() { find "$1" -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1; }
dist_hash() { tree_hash dist; }
layer_build() {
  local hash; hash=$(build_inputs_hash)
  # The stamp holds the inputs' hash and the hash of the dist/ it produced (so a dist/
  # written by anything else, e.g. a dev build, is never taken for it).
  if [ -z "${CI:-}" ] && [ -z "${PODPLAY_REBUILD:-}" ] && [ -f dist/index.html ] \
     && [ "$(cat target/.podplay-dist.sha256 2>/dev/null)" = "$hash $(dist_hash)" ]; then
    echo; echo "=== test.sh: build: dist/ is up to date (no input changed; PODPLAY_REBUILD=1 forces a build)"
    LAYER_SECS=0.0
  else
    rm -rf dist target/.podplay-dist.sha256
    run_layer build trunk build --release --offline --skip-version-check
    echo "$hash $(dist_hash)" > target/.podplay-dist.sha256
  fi
  local wasm; wasm=$(ls dist/*.wasm 2>/dev/null | head -1)
  [ -f dist/index.html ] && [ -n "$wasm" ] || fail build "dist/ has no index.html or no .wasm"
  ls dist/engine/worker-*.js >/dev/null 2>&1 || fail build "dist/ has no engine worker (dist/engine/worker-*.js)"
  grep -q 'src="/' dist/index.html && fail build "dist/index.html has an absolute URL; public_url must stay relative"
  # The Content-Security-Policy meta tag, first in <head>, no inline script (scripts/csp.mjs).
  node scripts/csp.mjs --check dist >/dev/null || fail build "dist/index.html breaks its Content-Security-Policy (node scripts/csp.mjs --check dist)"
  local raw gz js jsgz
  raw=$(stat -c %s "$wasm"); gz=$(gzip -9c "$wasm" | wc -c)
  js=$(cat dist/*.js dist/engine/*.js | wc -c); jsgz=$(cat dist/*.js dist/engine/*.js | gzip -9c | wc -c)
  echo "build: $wasm $raw bytes ($gz gzipped); JS $js bytes ($jsgz gzipped); dist/ $(du -sb dist | cut -f1) bytes" | tee -a "$LOGS/build.log"
  record build "wasm ${raw} B (${gz} B gz), js ${js} B (${jsgz} B gz)"
}
# The passes of a `node --test --test-reporter=spec` run: its "ℹ pass N" / "ℹ fail N" lines.
node_passed() {
  local log="$LOGS/$1.log" pass failn
  pass=$(grep -Eo '^ℹ pass [0-9]+' "$log" | awk '{print $3}' | tail -1)
  failn=$(grep -Eo '^ℹ fail [0-9]+' "$log" | awk '{print $3}' | tail -1)
  [ "${failn:-1}" = 0 ] || fail "$1" "a test failed"
  [ "${pass:-0}" -gt 0 ] || fail "$1" "ran 0 tests"
  echo "$pass"
}
layer_web_unit() {
  run_layer web-unit node --test --test-reporter=spec tests/web-unit/
  local n; n=$(node_passed web-unit)
  record web-unit "$n passed"; TOTAL_PASSED=$((TOTAL_PASSED + n))
}
# The npm package: reused like dist/ when no input changed (wasm-opt takes most of a minute).
PKG=target/wasm-pack/pkg
pkg_inputs_hash() {
  { find crates Cargo.toml Cargo.lock -type f -print0 | sort -z | xargs -0 sha256sum
    env "${WASM_PACK_OFFLINE[@]}" wasm-pack --version; wasm-bindgen --version; wasm-opt --version; rustc --version; } \
    | sha256sum | cut -d' ' -f1
}
layer_wasm_pack() {
  local hash build_secs=0.0; hash=$(pkg_inputs_hash)
  if [ -z "${CI:-}" ] && [ -z "${PODPLAY_REBUILD:-}" ] && [ -f "$PKG/package.json" ] \
     && [ "$(cat target/.podplay-pkg.sha256 2>/dev/null)" = "$hash $(tree_hash "$PKG")" ]; then
    echo; echo "=== test.sh: wasm-pack: $PKG/ is up to date (no input changed; PODPLAY_REBUILD=1 forces a build)"
  else
    rm -rf "$PKG" target/.podplay-pkg.sha256
    run_layer wasm-pack-build env "${WASM_PACK_OFFLINE[@]}" \
      wasm-pack build --mode no-install --target web --release --out-dir "$ROOT/$PKG" crates/podplay-wasm --color never
    grep -qF "found wasm-opt at \"$ROOT/node_modules/.bin/wasm-opt\"" "$LOGS/wasm-pack-build.log" \
      || fail wasm-pack-build "wasm-pack did not run npm binaryen's wasm-opt"
    echo "$hash $(tree_hash "$PKG")" > target/.podplay-pkg.sha256
    build_secs=$LAYER_SECS
  fi
  run_layer wasm-pack node --test --test-reporter=spec tests/wasm-pack/
  LAYER_SECS=$(awk -v a="$build_secs" -v b="$LAYER_SECS" 'BEGIN{printf "%.1f", a+b}')
  local n raw gz; n=$(node_passed wasm-pack)
  raw=$(stat -c %s "$PKG/podplay_wasm_bg.wasm"); gz=$(gzip -9c "$PKG/podplay_wasm_bg.wasm" | wc -c)
  record wasm-pack "$n passed; wasm ${raw} B (${gz} B gz)"; TOTAL_PASSED=$((TOTAL_PASSED + n))
}
layer_e2e() {
  run_layer e2e node --test --test-reporter=spec tests/e2e/
  local n; n=$(node_passed e2e)
  record e2e "$n passed"; TOTAL_PASSED=$((TOTAL_PASSED + n))
}
record() { SUMMARY+=("$(printf '%-14s %7ss  %s' "$1" "$LAYER_SECS" "$2")"); }

ALL=(lint native web-unit wasm-node wasm-chromium build wasm-pack e2e)
LAYERS=("$@"); [ ${#LAYERS[@]} -gt 0 ] || LAYERS=("${ALL[@]}")

t_setup=$(now)
bash scripts/setup.sh
LAYER_SECS=$(secs "$t_setup" "$(now)"); record setup "ok"
for layer in "${LAYERS[@]}"; do
  case "$layer" in
    lint) layer_lint ;;
    native) layer_native ;;
    web-unit) layer_web_unit ;;
    wasm-node) layer_wasm_node ;;
    wasm-chromium) layer_wasm_chromium ;;
    build) layer_build ;;
    wasm-pack) layer_wasm_pack ;;
    e2e) [ -f dist/index.html ] || layer_build; layer_e2e ;;
    *) echo "test.sh: unknown layer '$layer' (layers: ${ALL[*]})" >&2; exit 2 ;;
  esac
done

echo
echo "=== test.sh: summary"
printf '%s\n' "${SUMMARY[@]}"
echo "total: $TOTAL_PASSED passed, 0 failed"
