#!/usr/bin/env bash
# Store bench (issue 13; not run by CI: slow and machine-dependent). For each backend — memory and
# sqlite (a fresh file under target/bench/) — on the release binary:
#   (1) BalanceInquiry (a read) and CIB Transaction (a write, a fresh UNIQUEID each) with wrk: req/s, p99;
#   (2) a CIB Transaction's median latency, one request at a time on a kept-alive connection, with 10
#       and then with 50 000 payments already held by the app (cost must not follow history).
# Reuses bench/run.sh's pieces: bench/ready.py to start, bench/post.lua and bench/unique.lua for wrk.
# Environment: CONNS (64), THREADS (2), DURATION (10s), HISTORY (50000), SAMPLES (500).
set -euo pipefail
cd "$(dirname "$0")/.."

CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
DURATION=${DURATION:-10s}
HISTORY=${HISTORY:-50000}
SAMPLES=${SAMPLES:-500}
OUT=target/bench
mkdir -p "$OUT"

# shellcheck source=bench/lib.sh
source bench/lib.sh

IDENTITY='"AGGRID":"SANDAGGR1","CORPID":"SANDCORP1","USERID":"SANDUSER1","URN":"SANDURN0001"'
READ_BODY="{$IDENTITY,\"ACCOUNTNO\":\"000405000001\"}"
# IMPS to an account of this bank: debited and settled at once (₹1 each; the account holds ₹10,00,000).
WRITE_BODY="{$IDENTITY,\"AGGRNAME\":\"SANDBANK\",\"UNIQUEID\":\"__UNIQUE__\",\"DEBITACC\":\"000405000001\",\"CREDITACC\":\"000405009999\",\"IFSC\":\"ICIC0000004\",\"AMOUNT\":\"1.00\",\"CURRENCY\":\"INR\",\"TXNTYPE\":\"IFS\",\"PAYEENAME\":\"Ravi Kumar\",\"REMARKS\":\"bench\",\"WORKFLOW_REQD\":\"N\"}"
CIB=/api/Corporate/CIB/v1

# start BACKEND: a fresh server on that store; sets PORT and PID.
start() {
    local store=memory
    if [[ $1 == sqlite ]]; then
        rm -f "$OUT/store.db" "$OUT/store.db-wal" "$OUT/store.db-shm"
        store=sqlite:$OUT/store.db
    fi
    local line
    line=$(python3 bench/ready.py --out "$OUT/store-$1.stdout" --err "$OUT/store-$1.stderr" \
        --path /healthz --port-from-stdout -- "$BIN" --port 0 --store "$store" --log-format json)
    read -r PID PORT _ <<<"$line"
    PIDS+=("$PID")
}

# A premium app (unlimited calls), with the demo corporate's accounts like every app.
premium_key() {
    curl -s -X POST "http://127.0.0.1:$PORT/sandbox/apps" -H 'content-type: application/json' \
        -d '{"name":"bench","plan":"premium"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["apikey"])'
}

# wrk_row BACKEND LABEL -- wrk args...
wrk_row() {
    local backend=$1 label=$2 log
    shift 3
    log=$OUT/store-$backend-$label.txt
    wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$@" >"$log" 2>&1 || true
    printf '%-7s %-16s %10s req/s  p99 %9s  non-2xx %s\n' "$backend" "$label" \
        "$(awk '/^Requests\/sec/ {print $2}' "$log")" "$(awk '$1 == "99%" {print $2}' "$log")" \
        "$(awk '/Non-2xx/ {print $NF}' "$log" | grep . || echo 0)"
}

# history BACKEND KEY: median latency of SAMPLES payments with 10, then HISTORY, payments held.
history() {
    python3 - "$PORT" "$2" "$1" "$HISTORY" "$SAMPLES" "$WRITE_BODY" <<'PY'
import http.client, statistics, sys, time
port, key, backend, history, samples, template = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
conn = http.client.HTTPConnection("127.0.0.1", int(port))
headers = {"Content-Type": "application/json", "apikey": key}
count = 0
def pay(tag):
    global count
    count += 1
    body = template.replace("__UNIQUE__", f"H{tag}{count:08d}")
    started = time.perf_counter()
    conn.request("POST", "/api/Corporate/CIB/v1/Transaction", body=body, headers=headers)
    answer = conn.getresponse().read()
    elapsed = time.perf_counter() - started
    if b'"SUCCESS"' not in answer:
        sys.exit(f"payment refused: {answer[:200]!r}")
    return elapsed
def median_ms():
    return statistics.median(pay("M") for _ in range(samples)) * 1000
for _ in range(10):
    pay("F")
small = median_ms()
while count < history:
    pay("F")
large = median_ms()
print(f"{backend:7s} CIB Transaction median: {small:.3f} ms with 10 objects, {large:.3f} ms with {count - samples} ({large / small:.2f}x)")
PY
}

echo "== sandbank $(git rev-parse --short HEAD), wrk $THREADS threads × $CONNS connections × $DURATION, $(nproc) cores"
for backend in memory sqlite; do
    start "$backend"
    key=$(premium_key)
    BODY=$READ_BODY APIKEY=$key wrk_row "$backend" BalanceInquiry -- -s bench/post.lua "http://127.0.0.1:$PORT$CIB/BalanceInquiry"
    BODY=$WRITE_BODY APIKEY=$key RUN_ID=$RANDOM wrk_row "$backend" Transaction -- -s bench/unique.lua "http://127.0.0.1:$PORT$CIB/Transaction"
    kill "$PID"
    start "$backend"
    history "$backend" "$(premium_key)"
    kill "$PID"
done
