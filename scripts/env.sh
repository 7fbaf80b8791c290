# Sourced by the scripts: repo root, PATH (cargo bin, then npm's .bin first so Trunk takes
# npm binaryen's wasm-opt, never Debian's), and Trunk kept offline.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export TRUNK_OFFLINE=true            # Trunk must never download wasm-bindgen or wasm-opt
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
cd "$ROOT"
