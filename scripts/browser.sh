#!/usr/bin/env bash
# Browser check: Swagger UI at /docs (tests/browser/docs.mjs) and the readiness page
# (tests/browser/readiness.mjs) in Debian's headless Chromium, driven by playwright-core. Starts
# sandbank on a free loopback port and stops it afterwards.
#
#   scripts/browser.sh             # debug build; SANDBANK_BIN=... to use another binary
# Screenshots: target/browser/*.png. Needs /usr/bin/chromium (apt-get install chromium chromium-driver).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/serve.sh

(cd tests/browser && npm ci --no-audit --no-fund --silent)

serve_sandbank target/browser
base=$SANDBANK_URL
node tests/browser/docs.mjs "$base"
node tests/browser/readiness.mjs "$base"
