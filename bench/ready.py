#!/usr/bin/env python3
"""Start a server and time it from spawn to its first 200 on a URL.

    ready.py --out FILE --err FILE [--port N | --port-from-stdout] --path /x [-H 'k: v'] -- CMD...

Prints `PID PORT MILLISECONDS` and exits, leaving the server running (its own session) for the
caller to load and kill. With --port-from-stdout the port is read from the server's first stdout line
(`listening on http://HOST:PORT`, sandbank's contract).
"""
import argparse, http.client, re, subprocess, sys, time

p = argparse.ArgumentParser()
p.add_argument("--out", required=True)
p.add_argument("--err", required=True)
p.add_argument("--port", type=int)
p.add_argument("--port-from-stdout", action="store_true")
p.add_argument("--path", required=True)
p.add_argument("-H", "--header", action="append", default=[])
p.add_argument("--timeout", type=float, default=60)
p.add_argument("cmd", nargs=argparse.REMAINDER)
a = p.parse_args()
cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
headers = dict(h.split(":", 1) for h in a.header)
headers = {k.strip(): v.strip() for k, v in headers.items()}

t0 = time.perf_counter()
proc = subprocess.Popen(cmd, stdout=open(a.out, "wb"), stderr=open(a.err, "wb"),
                        stdin=subprocess.DEVNULL, start_new_session=True)
port = a.port
while time.perf_counter() - t0 < a.timeout:
    if proc.poll() is not None:
        sys.exit(f"server exited with {proc.returncode}; see {a.err}")
    if port is None:
        with open(a.out) as f:
            m = re.match(r"listening on http://[^:]+:(\d+)", f.readline())
        if not m:
            time.sleep(0.0005)
            continue
        port = int(m.group(1))
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        c.request("GET", a.path, headers=headers)
        if c.getresponse().status == 200:
            ms = (time.perf_counter() - t0) * 1000
            print(proc.pid, port, f"{ms:.1f}")
            sys.exit(0)
    except OSError:
        pass
    time.sleep(0.0005)
proc.kill()
sys.exit("server not ready in time")
