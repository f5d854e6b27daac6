#!/usr/bin/env bash
# Browser check: Swagger UI at /docs (tests/browser/docs.mjs) and the readiness page
# (tests/browser/readiness.mjs) in Debian's headless Chromium, driven by playwright-core. Starts
# sandbank on a free loopback port and stops it afterwards.
#
#   scripts/browser.sh             # debug build; SANDBANK_BIN=... to use another binary
# Screenshots: target/browser/*.png. Needs /usr/bin/chromium (apt-get install chromium chromium-driver).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z ${SANDBANK_BIN:-} ]]; then
    cargo build --locked --quiet --bin sandbank
    SANDBANK_BIN=${CARGO_TARGET_DIR:-target}/debug/sandbank
fi
(cd tests/browser && npm ci --no-audit --no-fund --silent)

mkdir -p target/browser
out=target/browser/server.stdout
SANDBANK_LOG=warn "$SANDBANK_BIN" --port 0 >"$out" 2>target/browser/server.stderr &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
    grep -q '^listening on ' "$out" 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || { echo "sandbank exited before listening" >&2; exit 1; }
    sleep 0.1
done
base=$(sed -n '1s/^listening on //p' "$out")
[[ -n $base ]] || { echo "sandbank did not print its listening line" >&2; exit 1; }
node tests/browser/docs.mjs "$base"
node tests/browser/readiness.mjs "$base"
