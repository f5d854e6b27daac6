#!/usr/bin/env python3
"""Two sandbank processes on one PostgreSQL database writing one app in turns (not run by CI).

    bench/replicas.py --pg-port 54332 --label NAME BINARY [--history 10,5000] [--writes 400]

For each history size: a fresh database, two servers on it (BINARY), a premium app, HISTORY CIB
Transactions through the first (the app's existing objects), then WRITES CIB Transactions one at a
time on kept-alive connections, alternating between the two servers (each finds the other wrote
since), and the same writes through one server alone. Prints req/s, median and p99 per row. Written
for comparing two builds in one run: pass each binary in turn.
"""
import argparse, http.client, json, os, signal, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
IDENTITY = {"AGGRID": "SANDAGGR1", "CORPID": "SANDCORP1", "USERID": "SANDUSER1", "URN": "SANDURN0001"}
CIB = "/api/Corporate/CIB/v1/Transaction"


def body(unique):
    return json.dumps({**IDENTITY, "AGGRNAME": "SANDBANK", "UNIQUEID": unique, "DEBITACC": "000405000001",
                       "CREDITACC": "000405009999", "IFSC": "ICIC0000004", "AMOUNT": "1.00", "CURRENCY": "INR",
                       "TXNTYPE": "IFS", "PAYEENAME": "Ravi Kumar", "REMARKS": "bench", "WORKFLOW_REQD": "N"})


def fresh(port, name):
    env = dict(os.environ, SANDBANK_PG_PORT=str(port))
    out = subprocess.run([os.path.join(ROOT, "scripts/postgres.sh"), "fresh", name], env=env,
                         check=True, capture_output=True, text=True).stdout
    return out.strip().splitlines()[-1]


def serve(binary, store, tag):
    line = subprocess.run([sys.executable, os.path.join(HERE, "ready.py"), "--out", f"/tmp/replicas-{tag}.out",
                           "--err", f"/tmp/replicas-{tag}.err", "--path", "/healthz", "--port-from-stdout", "--",
                           binary, "--port", "0", "--store", store], check=True, capture_output=True,
                          text=True).stdout.split()
    return int(line[0]), int(line[1])


def post(conn, path, payload, key=None):
    headers = {"content-type": "application/json"}
    if key:
        headers["apikey"] = key
    conn.request("POST", path, payload, headers)
    answer = conn.getresponse()
    data = answer.read()
    if answer.status >= 300:
        raise SystemExit(f"{path}: {answer.status} {data[:200]!r}")
    return data


def run(binary, pg_port, label, history, writes):
    store = fresh(pg_port, f"sbbench_{label}_{history}")
    servers = [serve(binary, store, f"{label}-{n}") for n in (0, 1)]
    try:
        conns = [http.client.HTTPConnection("127.0.0.1", port) for _, port in servers]
        key = json.loads(post(conns[0], "/sandbox/apps", json.dumps({"name": "bench", "plan": "premium"})))["apikey"]
        for n in range(history):
            post(conns[0], CIB, body(f"H{n}"), key)
        # Each server has its copy of the app before timing (the second loads it whole, once).
        post(conns[1], CIB, body("WARM"), key)
        rows = []
        for name, pick in (("2 processes, alternating", lambda n: conns[n % 2]), ("1 process", lambda n: conns[0])):
            times = []
            start = time.perf_counter()
            for n in range(writes):
                t = time.perf_counter()
                post(pick(n), CIB, body(f"{name[0]}{n}"), key)
                times.append((time.perf_counter() - t) * 1000)
            elapsed = time.perf_counter() - start
            times.sort()
            rows.append((name, writes / elapsed, statistics.median(times), times[int(len(times) * 0.99) - 1]))
        for name, rate, median, p99 in rows:
            print(f"{label:8} history {history:5}  {name:26} {rate:7.1f} writes/s  median {median:6.2f} ms  p99 {p99:7.2f} ms",
                  flush=True)
    finally:
        for pid, _ in servers:
            os.killpg(pid, signal.SIGTERM)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("binary")
    p.add_argument("--pg-port", type=int, default=54329)
    p.add_argument("--label", default="build")
    p.add_argument("--history", default="10,5000")
    p.add_argument("--writes", type=int, default=400)
    a = p.parse_args()
    for history in (int(h) for h in a.history.split(",")):
        run(os.path.abspath(a.binary), a.pg_port, a.label, history, a.writes)


if __name__ == "__main__":
    main()
