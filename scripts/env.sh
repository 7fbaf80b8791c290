# Sourced by the scripts: repo root, PATH (cargo bin, then npm's .bin first so Trunk and wasm-pack
# take npm binaryen's wasm-opt, never Debian's), and Trunk and wasm-pack kept offline.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export TRUNK_OFFLINE=true            # Trunk must never download wasm-bindgen or wasm-opt
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# Put before `wasm-pack` (`env "${WASM_PACK_OFFLINE[@]}" wasm-pack ...`, as test.sh does): wasm-pack
# then reaches nothing outside the machine. The tools it runs are the installed ones (setup.sh:
# wasm-bindgen-cli at Cargo.lock's version, chromedriver, npm binaryen's wasm-opt), and test.sh
# passes --mode no-install, so a missing one is an error, never a download or a `cargo install`.
# What is left is wasm-pack's check for a newer wasm-pack on crates.io (at most once a day; no
# option turns it off): the proxy is a closed port, so it fails at once, printing
# "[WARN]: failed to get wasm-pack version". Loopback (chromedriver, the test server) is exempt,
# and cargo stays offline (setup.sh fetched the crates).
WASM_PACK_OFFLINE=(
  HTTPS_PROXY=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 http_proxy=http://127.0.0.1:9
  ALL_PROXY=http://127.0.0.1:9 all_proxy=http://127.0.0.1:9 NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
  CARGO_NET_OFFLINE=true
)
cd "$ROOT"
