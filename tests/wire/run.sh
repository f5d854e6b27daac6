#!/usr/bin/env bash
# The wire-pattern suite: partner clients in Python (their own crypto, `cryptography`), each pattern of
# published integration code, against a real sandbank on a free loopback port.
#
#   tests/wire/run.sh                                  # builds the debug binary, installs into target/ci-venv
#   SANDBANK_BIN=target/release/sandbank tests/wire/run.sh -k pattern4
set -euo pipefail
cd "$(dirname "$0")/../.."

VENV=${VENV:-target/ci-venv}
REPORT_DIR=target/wire
if [[ ! -x $VENV/bin/python ]]; then
    python3 -m venv "$VENV" >/dev/null
fi
"$VENV/bin/pip" install --quiet --disable-pip-version-check -r tests/wire/requirements.txt

if [[ -z ${SANDBANK_BIN:-} ]]; then
    cargo build --locked --quiet --bin sandbank
    SANDBANK_BIN=${CARGO_TARGET_DIR:-target}/debug/sandbank
fi

mkdir -p "$REPORT_DIR"
server_out=$REPORT_DIR/server.stdout
server_err=$REPORT_DIR/server.stderr
SANDBANK_LOG=${SANDBANK_LOG:-warn} "$SANDBANK_BIN" --port 0 >"$server_out" 2>"$server_err" &
server_pid=$!
cleanup() {
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
}
trap cleanup EXIT

for _ in $(seq 1 300); do
    grep -q '^listening on ' "$server_out" 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$server_err" >&2; echo "sandbank exited before listening" >&2; exit 1; }
    sleep 0.1
done
SANDBANK_URL=$(sed -n '1s/^listening on //p' "$server_out")
[[ -n $SANDBANK_URL ]] || { echo "sandbank did not print its listening line" >&2; exit 1; }
export SANDBANK_URL
echo "sandbank at $SANDBANK_URL (pid $server_pid)"

cd tests/wire
status=0
"../../$VENV/bin/python" -m pytest -q -p no:cacheprovider --junitxml="../../$REPORT_DIR/junit.xml" "$@" || status=$?
cd ../..
if grep -q 'ERROR' "$server_err"; then
    echo "sandbank logged errors during the run:" >&2
    grep 'ERROR' "$server_err" | head -20 >&2
    status=1
fi
exit "$status"
