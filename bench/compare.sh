#!/usr/bin/env bash
# Compares the per-request cost of two revisions of sandbank (not run by CI: slow).
#
#   bench/compare.sh BASE [HEAD]   builds both revisions in release and, for each of the three loads of
#                                  bench/run.sh — (a) IFSC GET, (b) PAN validation POST, (c) CIB Transaction
#                                  POST with fresh UNIQUEIDs — counts the instructions the whole server
#                                  process executes per request under valgrind's callgrind: WARMUP requests
#                                  on one keep-alive connection, counters zeroed, then REQUESTS more.
#
# Instructions, not seconds: on a shared machine wall-clock figures move with whatever else runs, while an
# instruction count of the same requests is the same run after run, so "no slower" can be read from one run.
# Environment: REQUESTS (2000), WARMUP (200), BASE_BIN / HEAD_BIN (a release binary already built for that
# revision: skips its build). Output: target/bench/compare/.
set -euo pipefail
cd "$(dirname "$0")/.."

BASE=${1:?usage: bench/compare.sh BASE_REV [HEAD_REV]}
HEAD_REV=${2:-HEAD}
REQUESTS=${REQUESTS:-2000}
WARMUP=${WARMUP:-200}
OUT=$PWD/target/bench/compare
mkdir -p "$OUT"
command -v valgrind >/dev/null || apt-get install -y -q valgrind >/dev/null

# binary REV: builds REV in release in its own worktree and target directory; prints the binary's path.
binary() {
    local rev sha dir
    rev=$1
    sha=$(git rev-parse --short "$rev")
    dir=$OUT/src-$sha
    [[ -d $dir ]] || git worktree add -q --detach "$dir" "$sha"
    echo "building $rev ($sha) in release..." >&2
    (cd "$dir" && CARGO_TARGET_DIR=$OUT/target-$sha cargo build --release --locked --quiet)
    echo "$OUT/target-$sha/release/sandbank"
}

# count BIN LABEL: instructions per request for the three loads, one server under callgrind each.
count() {
    local bin=$1 label=$2 load
    for load in ifsc pan transaction; do
        local port=$((20000 + RANDOM % 20000))
        local cg=$OUT/callgrind-$label-$load
        rm -f "$cg".*
        valgrind --tool=callgrind --callgrind-out-file="$cg.%p" "$bin" --port "$port" \
            >"$OUT/$label-$load.stdout" 2>"$OUT/$label-$load.stderr" &
        local pid=$!
        python3 - "$port" "$load" "$WARMUP" "$REQUESTS" "$pid" <<'PY'
import http.client, json, subprocess, sys, time

port, load, warmup, requests, pid = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
for _ in range(600):
    try:
        c = http.client.HTTPConnection("127.0.0.1", int(port), timeout=60)
        c.request("GET", "/healthz")
        c.getresponse().read()
        break
    except OSError:
        time.sleep(0.1)
c.request("POST", "/sandbox/apps", body=json.dumps({"name": "compare", "plan": "premium"}),
          headers={"Content-Type": "application/json"})
key = json.loads(c.getresponse().read())["apikey"]
spec = json.load(open("specs/openapi.json"))
cib = spec["paths"]["/api/Corporate/CIB/v1/Transaction"]["post"]
body = cib["requestBody"]["content"]["application/json"]["examples"]
body = next(iter(body.values()))["value"] if body else None
n = 0

def call():
    global n
    n += 1
    headers = {"apikey": key, "Content-Type": "application/json"}
    if load == "ifsc":
        c.request("GET", "/api/v1/ifsc/ICIC0000004", headers=headers)
    elif load == "pan":
        c.request("POST", "/api/v0/panValidation", body='{"pan":"ABCPE1234F"}', headers=headers)
    else:
        c.request("POST", "/api/Corporate/CIB/v1/Transaction", headers=headers,
                  body=json.dumps(dict(body, UNIQUEID=f"CMP{n:012d}")))
    r = c.getresponse()
    r.read()
    if r.status != 200:
        sys.exit(f"{load}: {r.status}")

for _ in range(warmup):
    call()
subprocess.run(["callgrind_control", "-z", pid], check=True, capture_output=True)
for _ in range(requests):
    call()
subprocess.run(["callgrind_control", "-d", pid], check=True, capture_output=True)
PY
        kill "$pid"
        wait "$pid" 2>/dev/null || true
        # The dump after the measured requests is the one with a part suffix (.1); the final dump at exit
        # holds only shutdown.
        local total
        total=$(awk '/^summary:/ {print $2}' "$cg".*.1)
        echo "$label $load $((total / REQUESTS))"
    done
}

BASE_BIN=${BASE_BIN:-$(binary "$BASE")}
HEAD_BIN=${HEAD_BIN:-$(binary "$HEAD_REV")}
count "$BASE_BIN" base >"$OUT/base.txt"
count "$HEAD_BIN" head >"$OUT/head.txt"
echo "instructions per request (whole process, $REQUESTS requests after $WARMUP), base $BASE vs head $HEAD_REV:"
join -j2 <(awk '{print $1, $2, $3}' "$OUT/base.txt" | sort -k2) <(sort -k2 "$OUT/head.txt") |
    awk '{ printf "  %-12s base %9d   head %9d   head/base %.3f\n", $1, $3, $5, $5 / $3 }'
