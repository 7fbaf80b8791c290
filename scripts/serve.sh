#!/usr/bin/env bash
# Sets up what is missing, then serves the page at http://127.0.0.1:8080 with live rebuilds.
# Trunk runs offline: it never downloads a tool. Extra arguments go to `trunk serve`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash scripts/setup.sh
echo "serve: http://127.0.0.1:8080/"
# A dist of its own: the dev build (with Trunk's live-reload script) never lands in dist/.
exec trunk serve --offline --skip-version-check --address 127.0.0.1 --port 8080 --dist target/serve-dist "$@"
