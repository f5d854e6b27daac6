#!/usr/bin/env python3
"""The readiness report's answer time at its worst: a full request log, a full ledger and the most
callback attempts the sandbox keeps (not run by CI: a benchmark, not a test).

    cargo build --release --locked && python3 bench/readiness.py [--bin target/release/sandbank]

Starts sandbank on a free loopback port, creates a premium app and fills it:
  - a partner flow that proves items in every family, and 80 CIB timeouts left without an inquiry
    (the ledger's open obligations at their bound, 64);
  - 1 000 UPI collects approved by the payer, whose callbacks (no callback URL: each a recorded
    failed attempt) fill the app's callback history to its bound, 1 000 (graded as each attempt is
    recorded: the report no longer reads the history);
  - so the request log is full (200 of the last requests).
Then times GET /sandbox/readiness as JSON, as JUnit and as the HTML page, one request at a time on
one keep-alive connection (--requests each, after 20 warm-up), and prints p50 / p99 / max against
the target: under 10 ms.
"""
import argparse
import http.client
import json
import re
import statistics
import subprocess
import sys
import time

TARGET_MS = 10.0

p = argparse.ArgumentParser()
p.add_argument("--bin", default="target/release/sandbank")
p.add_argument("--requests", type=int, default=500)
p.add_argument("--collects", type=int, default=1000, help="UPI collects, hence callback attempts")
a = p.parse_args()

server = subprocess.Popen(
    [a.bin, "--port", "0"],
    stdout=subprocess.PIPE,
    stderr=subprocess.DEVNULL,
    env={"SANDBANK_LOG": "warn"},
    start_new_session=True,
)
try:
    line = server.stdout.readline().decode()
    port = int(re.match(r"listening on http://[^:]+:(\d+)", line).group(1))
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(method, path, body=None, key=None, headers=None):
        h = dict(headers or {})
        if key:
            h["apikey"] = key
        data = None
        if body is not None:
            data = json.dumps(body)
            h["content-type"] = "application/json"
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        raw = r.read()
        return r.status, raw

    status, raw = call("POST", "/sandbox/apps", {"name": "readiness bench", "plan": "premium"})
    assert status == 201, raw
    key = json.loads(raw)["apikey"]
    post = lambda path, body, headers=None: call("POST", path, body, key, headers)
    post("/sandbox/clock", {"freeze": "2026-04-01T10:00:00+05:30"})

    ident = {"AGGRID": "SANDAGGR1", "CORPID": "SANDCORP1", "USERID": "SANDUSER1", "URN": "SANDURN0001"}

    def pay(uid, amount, credit="000405009999"):
        return post("/api/Corporate/CIB/v1/Transaction", dict(
            ident, AGGRNAME="SANDBANK", UNIQUEID=uid, DEBITACC="000405000001", CREDITACC=credit,
            IFSC="ICIC0000004", AMOUNT=amount, CURRENCY="INR", TXNTYPE="TPA", PAYEENAME="Ravi Kumar",
            REMARKS="Bench", WORKFLOW_REQD="N"))

    for pan in ("ABCPE1234F", "ABCPE0000F", "ABCPE9999F"):
        post("/api/v0/panValidation", {"pan": pan})
    pay("B-OK", "10.00"); pay("B-OK", "10.00"); pay("B-51", "10.51"); pay("B-0", "10.00", "000405000000")
    post("/api/v0/panValidation", {"pan": "ABCPE123F"})
    post("/api/v0/panValidation", {"pan": "ABCPE1234F"}, {"x-sandbox-scenario": "rate-limited:5"})
    post("/api/v1/offers/pre-approved", {"customerId": "CUST000001"})
    for i in range(80):
        pay(f"B-T{i}", f"{100 + i}.96")
    for i in range(a.collects):
        post("/api/MerchantAPI/UPI/v0/CollectPay3/400000", {
            "payerVa": "success@icici", "amount": "10.00", "note": "bench",
            "collectByDate": "31/12/2030 06:30 PM", "merchantId": "400000",
            "merchantName": "Sandbank Store", "subMerchantId": "400000",
            "subMerchantName": "Sandbank Store", "terminalId": "5411",
            "merchantTranId": f"B-C{i}", "billNumber": "B"})
    post("/sandbox/clock", {"advance": "PT10S"})
    deadline = time.time() + 60
    while True:
        _, raw = call("GET", "/sandbox/callbacks", key=key)
        attempts = len(json.loads(raw))
        if attempts >= min(a.collects, 1000) or time.time() > deadline:
            break
        time.sleep(0.2)
    _, raw = call("GET", "/sandbox/requests?limit=200", key=key)
    logged = len(json.loads(raw)["requests"])
    _, raw = call("GET", "/sandbox/readiness", key=key)
    summary = json.loads(raw)["summary"]
    print(f"filled: request log {logged}/200, callback attempts {attempts}/1000, "
          f"report {summary['proven']} proven / {summary['doneWrong']} done wrong / {summary['total']} items")

    verdicts = []
    for label, path in (("JSON ", "/sandbox/readiness"),
                        ("JUnit", "/sandbox/readiness?format=junit"),
                        ("HTML ", "/sandbox/readiness.html")):
        for _ in range(20):
            call("GET", path, key=key)
        times = []
        size = 0
        for _ in range(a.requests):
            t0 = time.perf_counter()
            status, raw = call("GET", path, key=key)
            times.append((time.perf_counter() - t0) * 1000)
            assert status == 200, raw[:200]
            size = len(raw)
        times.sort()
        p50 = statistics.median(times)
        p99 = times[int(len(times) * 0.99) - 1]
        verdicts.append(p99 < TARGET_MS)
        print(f"{label} {size:>7} bytes  p50 {p50:6.2f} ms  p99 {p99:6.2f} ms  max {times[-1]:6.2f} ms  "
              f"({a.requests} requests, client time included)")
    print(f"target p99 < {TARGET_MS:.0f} ms: {'met' if all(verdicts) else 'MISSED'}")
finally:
    server.kill()
    server.wait()
