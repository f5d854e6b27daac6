# shellcheck shell=bash
# A real sandbank for a script to test against, written once: sourced by tests/wire/run.sh,
# scripts/conformance.sh, scripts/clients.sh and scripts/browser.sh (from the repository root).
#
#   source scripts/lib/serve.sh
#   serve_sandbank target/wire        # SANDBANK_URL, SANDBANK_PID; its output in target/wire/server.{stdout,stderr}
#   ...                               # test against "$SANDBANK_URL"
#   sandbank_logged_errors || status=1
#
# serve_sandbank builds the debug binary unless SANDBANK_BIN names one, starts it on a free loopback
# port (`--port 0`: the server prints `listening on <url>` once bound), waits for that line, and stops
# the server when the script exits (an EXIT trap). SANDBANK_LOG sets its log level (default warn).

# Starts sandbank with its output in the folder $1; fails if it exits or stays silent for 30 s.
serve_sandbank() {
    SANDBANK_DIR=$1
    if [[ -z ${SANDBANK_BIN:-} ]]; then
        cargo build --locked --quiet --bin sandbank
        SANDBANK_BIN=${CARGO_TARGET_DIR:-target}/debug/sandbank
    fi
    mkdir -p "$SANDBANK_DIR"
    local out=$SANDBANK_DIR/server.stdout err=$SANDBANK_DIR/server.stderr
    SANDBANK_LOG=${SANDBANK_LOG:-warn} "$SANDBANK_BIN" --port 0 >"$out" 2>"$err" &
    SANDBANK_PID=$!
    trap stop_sandbank EXIT
    for _ in $(seq 1 300); do
        grep -q '^listening on ' "$out" 2>/dev/null && break
        kill -0 "$SANDBANK_PID" 2>/dev/null || { cat "$err" >&2; echo "sandbank exited before listening" >&2; exit 1; }
        sleep 0.1
    done
    SANDBANK_URL=$(sed -n '1s/^listening on //p' "$out")
    [[ -n $SANDBANK_URL ]] || { echo "sandbank did not print its listening line" >&2; exit 1; }
    export SANDBANK_URL
    echo "sandbank at $SANDBANK_URL (pid $SANDBANK_PID)"
}

# Stops the server serve_sandbank started (the EXIT trap; safe to call twice).
stop_sandbank() {
    kill "$SANDBANK_PID" 2>/dev/null || true
    wait "$SANDBANK_PID" 2>/dev/null || true
}

# Fails, naming the first lines, when the server logged an ERROR (a 5xx logs one): run after the
# tests, so that none slips through as a pass.
sandbank_logged_errors() {
    local err=$SANDBANK_DIR/server.stderr
    if grep -q 'ERROR' "$err"; then
        echo "sandbank logged errors during the run:" >&2
        grep 'ERROR' "$err" | head -20 >&2
        return 1
    fi
}
