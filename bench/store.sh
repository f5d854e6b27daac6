#!/usr/bin/env bash
# Store bench (issue 13; not run by CI: slow and machine-dependent). For each backend — memory, sqlite
# (a fresh file under target/bench/), postgres (a fresh database on scripts/postgres.sh's throwaway
# cluster) and postgres-x2 (two processes on one such database) — on the release binary:
#   (1) BalanceInquiry (a read) and CIB Transaction (a write, a fresh UNIQUEID each) with wrk: req/s, p99;
#       postgres-x2 is driven by two wrk runs at once, one per process, each with half the threads
#       and connections: their req/s summed, the worse p99;
#   (2) a CIB Transaction's median latency, one request at a time on a kept-alive connection, with 10
#       and then with 50 000 payments already held by the app (cost must not follow history); one
#       process per backend.
# Reuses bench/run.sh's pieces: bench/ready.py to start, bench/post.lua and bench/unique.lua for wrk.
# Environment: CONNS (64), THREADS (2), DURATION (10s), HISTORY (50000), SAMPLES (500), BACKENDS (all
# four), BIN (a binary to measure instead of building this checkout's).
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

# The PostgreSQL cluster (scripts/postgres.sh), stopped on exit when this script started it.
PG_STARTED=
if [[ ! -f target/postgres/data/postmaster.pid ]]; then
    PG_STARTED=1
fi
scripts/postgres.sh start >/dev/null
trap 'cleanup; if [[ -n $PG_STARTED ]]; then scripts/postgres.sh stop; fi' EXIT

# start BACKEND: a fresh store and a server on it (two for postgres-x2, the second's port in PORT2);
# sets PORT and PID.
start() {
    local store=memory
    case $1 in
    sqlite)
        rm -f "$OUT/store.db" "$OUT/store.db-wal" "$OUT/store.db-shm"
        store=sqlite:$OUT/store.db
        ;;
    postgres*) store=$(scripts/postgres.sh fresh sandbank_bench) ;;
    esac
    serve "$1" "$store"
    if [[ $1 == postgres-x2 ]]; then
        local first=$PORT
        serve "$1-2" "$store"
        PORT2=$PORT PORT=$first
    fi
}

# serve NAME STORE: one server; sets PORT and PID.
serve() {
    local line
    line=$(python3 bench/ready.py --out "$OUT/store-$1.stdout" --err "$OUT/store-$1.stderr" \
        --path /healthz --port-from-stdout -- "$BIN" --port 0 --store "$2" --log-format json)
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
    row "$backend" "$label" "$log"
}

# wrk_pair BACKEND LABEL SCRIPT PATH: one wrk per process (PORT, PORT2) at once, half the load each.
wrk_pair() {
    local backend=$1 label=$2 script=$3 path=$4 port i
    for i in 1 2; do
        port=$PORT
        if ((i == 2)); then port=$PORT2; fi
        RUN_ID=${RUN_ID:-}P$i wrk -t"$(((THREADS + 1) / 2))" -c"$((CONNS / 2))" -d"$DURATION" --latency \
            -s "$script" "http://127.0.0.1:$port$path" >"$OUT/store-$backend-$label-$i.txt" 2>&1 &
    done
    wait
    row "$backend" "$label" "$OUT/store-$backend-$label-1.txt" "$OUT/store-$backend-$label-2.txt"
}

# row BACKEND LABEL LOG...: the runs' req/s summed, the worst p99, the non-2xx summed.
row() {
    local backend=$1 label=$2
    shift 2
    printf '%-11s %-16s %10s req/s  p99 %9s  non-2xx %s\n' "$backend" "$label" \
        "$(awk '/^Requests\/sec/ {sum += $2} END {printf "%.2f", sum}' "$@")" \
        "$(awk '$1 == "99%" {v = $2; ms = v + 0; if (v ~ /us$/) ms /= 1000; else if (v ~ /[0-9]s$/) ms *= 1000;
                 if (ms >= worst) {worst = ms; text = v}} END {print text}' "$@")" \
        "$(awk '/Non-2xx/ {sum += $NF} END {print sum + 0}' "$@")"
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
print(f"{backend:11s} CIB Transaction median: {small:.3f} ms with 10 objects, {large:.3f} ms with {count - samples} ({large / small:.2f}x)")
PY
}

echo "== sandbank $(git rev-parse --short HEAD), wrk $THREADS threads × $CONNS connections × $DURATION, $(nproc) cores"
# Stops every server started so far.
stop_servers() {
    cleanup
    PIDS=()
}

for backend in ${BACKENDS:-memory sqlite postgres postgres-x2}; do
    start "$backend"
    key=$(premium_key)
    if [[ $backend == postgres-x2 ]]; then
        # The app made on the first process is the second's too: they share the database.
        BODY=$READ_BODY APIKEY=$key wrk_pair "$backend" BalanceInquiry bench/post.lua "$CIB/BalanceInquiry"
        BODY=$WRITE_BODY APIKEY=$key RUN_ID=$RANDOM wrk_pair "$backend" Transaction bench/unique.lua "$CIB/Transaction"
        stop_servers
        continue
    fi
    BODY=$READ_BODY APIKEY=$key wrk_row "$backend" BalanceInquiry -- -s bench/post.lua "http://127.0.0.1:$PORT$CIB/BalanceInquiry"
    BODY=$WRITE_BODY APIKEY=$key RUN_ID=$RANDOM wrk_row "$backend" Transaction -- -s bench/unique.lua "http://127.0.0.1:$PORT$CIB/Transaction"
    stop_servers
    start "$backend"
    history "$backend" "$(premium_key)"
    stop_servers
done
