#!/usr/bin/env bash
# Clients generated from the spec: a Python client from specs/openapi.json (openapi-python-client,
# warnings are failures), one flow per family with it against a live server (tests/clients/flows.py);
# then the Postman collection and demo environment in specs/postman/ regenerated from the same spec
# (openapi-to-postmanv2) and compared with the committed ones.
#
#   scripts/clients.sh                  # builds the debug binary unless SANDBANK_BIN is set
#   scripts/clients.sh --update         # rewrite specs/postman/ instead of comparing
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/serve.sh

VENV=${VENV:-target/ci-venv}
NODE_PREFIX=target/ci-node
OUT=target/clients
[[ -x $VENV/bin/python ]] || python3 -m venv "$VENV" >/dev/null
"$VENV/bin/pip" install --quiet --disable-pip-version-check openapi-python-client==0.29.1
npm install --silent --no-audit --no-fund --prefix "$NODE_PREFIX" openapi-to-postmanv2@6.3.3 >/dev/null

rm -rf "$OUT" && mkdir -p "$OUT"
"$VENV/bin/openapi-python-client" generate --path specs/openapi.json --meta none --fail-on-warning \
    --config tests/clients/openapi-python-client.yaml --output-path "$OUT/python/sandbank_client" >"$OUT/generate.log" 2>&1 ||
    { cat "$OUT/generate.log" >&2; echo "openapi-python-client stumbled on specs/openapi.json" >&2; exit 1; }
echo "ok   Python client generated from specs/openapi.json without a warning"

serve_sandbank "$OUT"
base=$SANDBANK_URL
"$SANDBANK_BIN" wait --url "$base" --timeout 10s >/dev/null
"$VENV/bin/python" tests/clients/flows.py "$base" "$OUT/python"

if [[ ${1:-} == --update ]]; then
    node scripts/postman.mjs "$NODE_PREFIX" specs/postman
else
    node scripts/postman.mjs "$NODE_PREFIX" "$OUT/postman" >/dev/null
    diff -r -q specs/postman "$OUT/postman" >/dev/null ||
        { echo "specs/postman/ is stale: run scripts/clients.sh --update and commit it" >&2; exit 1; }
    echo "ok   specs/postman/ is what openapi-to-postmanv2 makes of specs/openapi.json"
fi
