#!/usr/bin/env bash
# The wire-pattern suite: partner clients in Python (their own crypto, `cryptography`), each pattern of
# published integration code, against a real sandbank on a free loopback port.
#
#   tests/wire/run.sh                                  # builds the debug binary, installs into target/ci-venv
#   SANDBANK_BIN=target/release/sandbank tests/wire/run.sh -k pattern4
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/serve.sh

VENV=${VENV:-target/ci-venv}
REPORT_DIR=target/wire
if [[ ! -x $VENV/bin/python ]]; then
    python3 -m venv "$VENV" >/dev/null
fi
"$VENV/bin/pip" install --quiet --disable-pip-version-check -r tests/wire/requirements.txt

serve_sandbank "$REPORT_DIR"

cd tests/wire
status=0
"../../$VENV/bin/python" -m pytest -q -p no:cacheprovider --junitxml="../../$REPORT_DIR/junit.xml" "$@" || status=$?
cd ../..
sandbank_logged_errors || status=1
exit "$status"
