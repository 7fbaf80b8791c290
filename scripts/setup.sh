#!/usr/bin/env bash
# Installs what the build and the tests need and is missing, and nothing else:
#   the wasm32 target, wasm-bindgen-cli at exactly Cargo.lock's wasm-bindgen version, trunk 0.21.14,
#   wasm-pack 0.15.1, chromium + chromium-driver (apt-get), node_modules (npm ci), crates (cargo fetch).
# A warm run installs nothing and takes about a second. A tool that cannot be installed
# stops the script with a message saying what to install.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

TRUNK_VERSION="0.21.14"   # 0.22.x needs rustc >= 1.96.1
WASM_PACK_VERSION="0.15.1"  # the newest; builds with rustc 1.95 from its lockfile (--locked)
started=$(date +%s.%N)
have() { command -v "$1" >/dev/null 2>&1; }
ver2() { "$1" --version 2>/dev/null | awk '{print $2; exit}'; }
say() { echo "setup: $*"; }
die() { echo "setup: ERROR: $*" >&2; exit 1; }
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif have sudo && sudo -n true 2>/dev/null; then sudo "$@"
  else return 1; fi
}
apt_install() {
  have apt-get || return 1
  if [ -z "${APT_UPDATED:-}" ]; then as_root apt-get update -qq || return 1; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" </dev/null
}

# Rust toolchain (rustup, with the version rust-toolchain/Cargo.toml ask for).
have cargo && have rustup || die "cargo and rustup are missing: install Rust with rustup (https://rustup.rs), then run this again"
rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown || {
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown || die "could not add the target: run 'rustup target add wasm32-unknown-unknown'"
}

# rustfmt and clippy, for the lint layer (in rustup's default profile, but not its minimal one).
for component in rustfmt clippy; do
  rustup component list --installed 2>/dev/null | grep -q "^$component" || {
    say "adding the $component component"
    rustup component add "$component" || die "could not add $component: run 'rustup component add $component'"
  }
done

# wasm-bindgen-cli: must equal the wasm-bindgen in Cargo.lock.
WB_VERSION="$(awk '$0=="name = \"wasm-bindgen\"" {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)"
[ -n "$WB_VERSION" ] || die "wasm-bindgen is not in Cargo.lock"
if [ "$(ver2 wasm-bindgen)" != "$WB_VERSION" ] || [ "$(ver2 wasm-bindgen-test-runner)" != "$WB_VERSION" ]; then
  say "installing wasm-bindgen-cli $WB_VERSION (about 3 minutes)"
  # Not --locked: its lockfile pins a webpki-roots the registry mirror may not have.
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --force \
    || die "could not install wasm-bindgen-cli: run 'cargo install wasm-bindgen-cli --version $WB_VERSION'"
  [ "$(ver2 wasm-bindgen)" = "$WB_VERSION" ] || die "wasm-bindgen on PATH is $(command -v wasm-bindgen), not version $WB_VERSION: put ~/.cargo/bin first on PATH"
fi

# trunk
if [ "$(ver2 trunk)" != "$TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 6 minutes)"
  cargo install --locked trunk --version "$TRUNK_VERSION" --force \
    || die "could not install trunk: run 'cargo install --locked trunk --version $TRUNK_VERSION'"
  [ "$(ver2 trunk)" = "$TRUNK_VERSION" ] || die "trunk on PATH is $(command -v trunk), not version $TRUNK_VERSION: put ~/.cargo/bin first on PATH"
fi

# wasm-pack (test.sh's wasm-node, wasm-chromium and wasm-pack layers). Asked for its version
# offline: every run of wasm-pack may check crates.io for a newer one (see env.sh).
wp_version() { env "${WASM_PACK_OFFLINE[@]}" wasm-pack --version 2>/dev/null | awk '{print $2; exit}'; }
if [ "$(wp_version)" != "$WASM_PACK_VERSION" ]; then
  say "installing wasm-pack $WASM_PACK_VERSION (about 5 minutes)"
  cargo install --locked wasm-pack --version "$WASM_PACK_VERSION" --force \
    || die "could not install wasm-pack: run 'cargo install --locked wasm-pack --version $WASM_PACK_VERSION'"
  [ "$(wp_version)" = "$WASM_PACK_VERSION" ] || die "wasm-pack on PATH is $(command -v wasm-pack), not version $WASM_PACK_VERSION: put ~/.cargo/bin first on PATH"
fi

# Headless Chromium and chromedriver (wasm tests in the browser, e2e tests).
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ] || ! have chromedriver; then
  say "installing chromium and chromium-driver with apt-get (about a minute)"
  apt_install chromium chromium-driver || true
  [ -x "$CHROMIUM" ] && have chromedriver \
    || die "$CHROMIUM or chromedriver is missing and apt-get could not install them: install the Debian packages 'chromium' and 'chromium-driver' (as root: apt-get install chromium chromium-driver), or set CHROMIUM=/path/to/chromium"
fi

# Node and the npm packages (esbuild, CodeMirror, playwright-core, binaryen's wasm-opt).
if ! have node || ! have npm; then
  say "installing nodejs and npm with apt-get"
  apt_install nodejs npm || die "node and npm are missing: install Node.js 18 or newer with npm"
fi
lock_sum="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -f node_modules/.podplay-lock.sha256 ] || [ "$(cat node_modules/.podplay-lock.sha256)" != "$lock_sum" ]; then
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error || die "npm ci failed"
  echo "$lock_sum" > node_modules/.podplay-lock.sha256
fi
have wasm-opt && [ "$(command -v wasm-opt)" = "$ROOT/node_modules/.bin/wasm-opt" ] \
  || die "node_modules/.bin/wasm-opt (npm binaryen) is missing: run 'npm ci'"

# Crates, so that Trunk and cargo can run --offline.
mkdir -p target
fetch_sum="$(cat Cargo.lock Cargo.toml crates/*/Cargo.toml | sha256sum | cut -d' ' -f1)"
if [ ! -f target/.podplay-fetch.sha256 ] || [ "$(cat target/.podplay-fetch.sha256)" != "$fetch_sum" ]; then
  say "cargo fetch"
  cargo fetch || die "cargo fetch failed"
  echo "$fetch_sum" > target/.podplay-fetch.sha256
fi

say "ready in $(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN{printf "%.1f", e-s}') s (wasm-bindgen $WB_VERSION, trunk $TRUNK_VERSION, wasm-pack $WASM_PACK_VERSION, $("$CHROMIUM" --version 2>/dev/null | head -1), node $(node --version))"
