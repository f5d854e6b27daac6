#!/usr/bin/env python3
"""Hostile-use attacks against a running sandbank binary, each measured from a well-behaved client.

    bench/attacks.py --bin target/release/sandbank [--scale ci|full] [--only NAME,...] [--json FILE]
                     [--check]

For each attack a fresh server is started (its own session, killed afterwards). A well-behaved client
calls `GET /api/v1/ifsc/ICIC0000004` with its own premium app on a new connection every 20 ms for the
whole run; a sampler reads the server's RSS and open file descriptors from /proc every 250 ms. The
attack runs for --seconds; the report gives, per attack, the client's p50/p99/max latency and failed
calls during the attack, the server's RSS before / peak / after and its peak fds, plus what the attack
itself observed. With --check the run fails (exit 1) when a property the server promises does not
hold: the client is answered (no failed calls), memory and fds stay bounded, no internal URL is reached
through a callback, and the ledger balances at the object bound. Latency is reported, never asserted.

Attacks: slowloris (a header line a second, forever), idle (connections that send nothing), chunked
(a body that never ends), h2 (HTTP/2 streams opened and never finished), apps (POST /sandbox/apps
flood), callbacks (receivers that redirect to an internal URL, answer 50 MiB, or never answer, fed by a
flood of e-collection credits), bound (an app filled past --max-objects-per-app with pending NEFTs).

Python standard library only. The binary may be an older build: only flags every build knows are
passed (--port, --max-objects-per-app, --callback-backoff-ms).
"""
import argparse, asyncio, http.client, json, os, re, resource, signal, socket, statistics, subprocess
import logging, sys, threading, time

DEMO = "sandbank-demo-key"

SCALES = {
    # ci: what fits a CI job (about 3 minutes for every attack together).
    "ci": dict(seconds=12, chunked_seconds=35, conns=1500, h2_conns=10, h2_streams=1000, workers=8, huge_mib=8,
               receivers=3, bound=3000, over=1000),
    # full: the sizes the attacks were first reported at.
    "full": dict(seconds=30, chunked_seconds=40, conns=19000, h2_conns=30, h2_streams=5000, workers=16, huge_mib=50,
                 receivers=10, bound=100000, over=2000),
}


# ---- the server -------------------------------------------------------------------------------

class Server:
    def __init__(self, binary, args, workdir, rss_cap_mib=3072):
        self.rss_cap_kb, self.killed = rss_cap_mib * 1024, None
        self.log = open(os.path.join(workdir, "server.stderr"), "wb")
        self.proc = subprocess.Popen([binary, "--port", "0", *args], stdout=subprocess.PIPE,
                                     stderr=self.log, stdin=subprocess.DEVNULL,
                                     start_new_session=True)
        line = self.proc.stdout.readline().decode()
        m = re.match(r"listening on http://[^:]+:(\d+)", line)
        if not m:
            raise SystemExit(f"server did not start: {line!r}")
        self.port = int(m.group(1))
        threading.Thread(target=self.proc.stdout.read, daemon=True).start()
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if call(self.port, "GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("server not ready")

    def rss_kb(self):
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))
        except (OSError, AttributeError):
            return 0

    def fds(self):
        try:
            return len(os.listdir(f"/proc/{self.proc.pid}/fd"))
        except OSError:
            return 0

    def stop(self):
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()


def call(port, method, path, body=None, headers=None, timeout=10):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        h = {"Content-Type": "application/json", **(headers or {})}
        c.request(method, path, body=json.dumps(body) if body is not None else None, headers=h)
        r = c.getresponse()
        raw = r.read()
        try:
            return r.status, json.loads(raw)
        except ValueError:
            return r.status, raw
    finally:
        c.close()


def premium_app(port, name="bench"):
    status, body = call(port, "POST", "/sandbox/apps", {"name": name, "plan": "premium"})
    if status != 201:
        raise SystemExit(f"cannot create an app: {status} {body}")
    return body["apikey"]


# ---- the well-behaved client and the sampler ----------------------------------------------------

class Observer:
    """The well-behaved client's latencies and the server's RSS and fds, sampled through a run."""

    def __init__(self, server, apikey):
        self.server, self.apikey = server, apikey
        self.phase = "before"
        self.latencies = {"before": [], "attack": [], "after": []}
        self.failures = {"before": 0, "attack": 0, "after": 0}
        self.rss = {"before": 0, "attack": 0, "after": 0}
        self.fds = {"before": 0, "attack": 0, "after": 0}
        self.why = {}
        self.running = True
        self.threads = [threading.Thread(target=self.client, daemon=True),
                        threading.Thread(target=self.sample, daemon=True)]
        for t in self.threads:
            t.start()

    def client(self):
        while self.running:
            phase = self.phase
            t0 = time.perf_counter()
            try:
                status, _ = call(self.server.port, "GET", "/api/v1/ifsc/ICIC0000004",
                                 headers={"apikey": self.apikey}, timeout=5)
                why = None if status == 200 else str(status)
            except (OSError, http.client.HTTPException) as err:
                why = type(err).__name__
            ms = (time.perf_counter() - t0) * 1000
            if why is None:
                self.latencies[phase].append(ms)
            else:
                self.failures[phase] += 1
                self.why[why] = self.why.get(why, 0) + 1
            time.sleep(0.02)

    def sample(self):
        while self.running:
            phase = self.phase
            rss = self.server.rss_kb()
            self.rss[phase] = max(self.rss[phase], rss)
            self.fds[phase] = max(self.fds[phase], self.server.fds())
            if rss > self.server.rss_cap_kb and not self.server.killed:
                # A shared machine: an unbounded server is stopped rather than let run.
                self.server.killed = f"killed at {rss // 1024} MiB (--rss-cap-mib)"
                self.server.stop()
            time.sleep(0.25)

    def stop(self):
        self.running = False
        for t in self.threads:
            t.join(timeout=10)

    def report(self):
        def pct(xs, p):
            if not xs:
                return None
            xs = sorted(xs)
            return round(xs[min(len(xs) - 1, int(len(xs) * p / 100))], 1)
        out = {}
        for phase in ("before", "attack", "after"):
            xs = self.latencies[phase]
            out[phase] = dict(calls=len(xs) + self.failures[phase], failed=self.failures[phase],
                              p50_ms=pct(xs, 50), p99_ms=pct(xs, 99),
                              max_ms=round(max(xs), 1) if xs else None,
                              rss_mib=round(self.rss[phase] / 1024, 1), fds=self.fds[phase])
        out["failures"] = self.why
        return out


# ---- connection-level attackers (asyncio) -------------------------------------------------------

async def hold(port, until, first, then=None, every=1.0, stats=None, reopen=True):
    """One attacking connection: sends `first`, then `then` every `every` seconds (or nothing), and
    reopens when the server closes it."""
    while time.time() < until:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            stats["refused"] += 1
            await asyncio.sleep(0.2)
            continue
        stats["opened"] += 1
        try:
            writer.write(first)
            await writer.drain()
            while time.time() < until:
                if then is None:
                    data = await asyncio.wait_for(reader.read(65536), timeout=max(0.1, until - time.time()))
                    if not data:
                        raise ConnectionError
                    stats["answered"] += 1
                    continue
                await asyncio.sleep(every)
                if reader.at_eof():
                    raise ConnectionError
                writer.write(then)
                await writer.drain()
                try:
                    data = await asyncio.wait_for(reader.read(65536), timeout=0.01)
                    if data:
                        stats["answered"] += 1
                    elif reader.at_eof():
                        raise ConnectionError
                except asyncio.TimeoutError:
                    pass
        except (OSError, ConnectionError, asyncio.TimeoutError):
            if time.time() < until - 0.05:
                stats["cut"] += 1  # the server closed it before the attack ended
        finally:
            writer.close()
        if not reopen:
            return
        await asyncio.sleep(0.05)


async def flood_connections(port, seconds, n, first, then):
    stats = dict(opened=0, cut=0, refused=0, answered=0)
    until = time.time() + seconds
    tasks = []
    for i in range(n):
        tasks.append(asyncio.create_task(hold(port, until, first, then, stats=stats)))
        if i % 100 == 99:
            await asyncio.sleep(0.01)
    await asyncio.gather(*tasks, return_exceptions=True)
    return stats


def h2_frame(kind, flags, stream, payload=b""):
    return len(payload).to_bytes(3, "big") + bytes([kind, flags]) + stream.to_bytes(4, "big") + payload


def hpack_literal(name, value):
    return b"\x00" + bytes([len(name)]) + name + bytes([len(value)]) + value


def h2_headers(port):
    block = (b"\x83" + b"\x86"                                   # :method POST, :scheme http
             + b"\x04" + bytes([len(b"/api/v0/panValidation")]) + b"/api/v0/panValidation"
             + b"\x01" + bytes([len(f"127.0.0.1:{port}")]) + f"127.0.0.1:{port}".encode()
             + hpack_literal(b"content-type", b"application/json")
             + hpack_literal(b"apikey", DEMO.encode()))
    return block


async def h2_streams(port, until, streams, stats):
    """An HTTP/2 connection that opens `streams` request streams and never sends their bodies."""
    while time.time() < until:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            stats["refused"] += 1
            await asyncio.sleep(0.2)
            continue
        stats["opened"] += 1
        try:
            writer.write(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + h2_frame(4, 0, 0))
            block = h2_headers(port)
            for i in range(streams):
                writer.write(h2_frame(1, 0x4, 2 * i + 1, block))
                if i % 200 == 199:
                    await writer.drain()
            await writer.drain()
            stats["streams"] += streams
            while time.time() < until:
                head = await asyncio.wait_for(reader.readexactly(9), timeout=max(0.1, until - time.time()))
                length = int.from_bytes(head[:3], "big")
                kind, flags = head[3], head[4]
                payload = await reader.readexactly(length)
                if kind == 4 and not flags & 1:
                    writer.write(h2_frame(4, 1, 0))          # SETTINGS ack
                elif kind == 6 and not flags & 1:
                    writer.write(h2_frame(6, 1, 0, payload))  # PING ack
                elif kind == 3:
                    stats["reset"] += 1
                elif kind == 7:
                    stats["goaway"] += 1
                    raise ConnectionError
        except (OSError, ConnectionError, asyncio.TimeoutError, asyncio.IncompleteReadError):
            if time.time() < until - 0.05:
                stats["cut"] += 1
        finally:
            writer.close()
        await asyncio.sleep(0.1)


# ---- request floods (threads) -------------------------------------------------------------------

def in_threads(workers, seconds, work):
    """Runs `work(worker, until)` in `workers` threads; returns their results."""
    until = time.time() + seconds
    results = [None] * workers

    def run(i):
        results[i] = work(i, until)
    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def keepalive_loop(port, until, request, counts):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    n = 0
    while time.time() < until:
        method, path, body, headers = request(n)
        n += 1
        try:
            c.request(method, path, body=json.dumps(body), headers={"Content-Type": "application/json", **headers})
            r = c.getresponse()
            r.read()
            counts[r.status] = counts.get(r.status, 0) + 1
        except (OSError, http.client.HTTPException):
            counts["error"] = counts.get("error", 0) + 1
            c.close()
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.close()


# ---- the attacks --------------------------------------------------------------------------------

def attack_slowloris(server, s):
    first = b"GET /healthz HTTP/1.1\r\nHost: sandbank\r\n"
    return asyncio.run(flood_connections(server.port, s["seconds"], s["conns"], first, b"X-Pad: 1\r\n"))


def attack_idle(server, s):
    return asyncio.run(flood_connections(server.port, s["seconds"], s["conns"], b"", None))


def attack_chunked(server, s):
    first = (b"POST /api/v0/panValidation HTTP/1.1\r\nHost: sandbank\r\napikey: " + DEMO.encode()
             + b"\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n")
    # Longer than the others: the body deadline (30 s by default) has to pass.
    seconds = s["chunked_seconds"]
    return asyncio.run(flood_connections(server.port, seconds, s["conns"] // 3, first, b"1\r\n \r\n"))


def attack_h2(server, s):
    async def run():
        stats = dict(opened=0, cut=0, refused=0, streams=0, reset=0, goaway=0)
        until = time.time() + s["seconds"]
        await asyncio.gather(*(h2_streams(server.port, until, s["h2_streams"], stats)
                               for _ in range(s["h2_conns"])), return_exceptions=True)
        return stats
    return asyncio.run(run())


def attack_apps(server, s):
    counts = {}
    in_threads(s["workers"], s["seconds"], lambda i, until: keepalive_loop(
        server.port, until, lambda n: ("POST", "/sandbox/apps", {"name": f"flood-{i}-{n}"}, {}), counts))
    return {"created": counts.get(201, 0), "refused_429": counts.get(429, 0),
            "other": {k: v for k, v in counts.items() if k not in (201, 429)}}


class Receivers:
    """Hostile callback receivers on loopback: /redirect (302 to /internal, which counts hits), /huge
    (200 announcing and streaming `huge_mib` MiB), /silent (never answers)."""

    def __init__(self, huge_mib):
        self.internal_hits = 0
        self.huge = huge_mib * 1024 * 1024
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4096)
        self.port = self.sock.getsockname()[1]
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        asyncio.run_coroutine_threadsafe(self.serve(), self.loop).result()

    async def serve(self):
        self.server = await asyncio.start_server(self.answer, sock=self.sock)

    async def answer(self, reader, writer):
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            path = head.split(b" ")[1]
            length = int(re.search(rb"(?i)content-length:\s*(\d+)", head).group(1)) if b"ength" in head else 0
            await reader.readexactly(length)
            if path.startswith(b"/internal"):
                self.internal_hits += 1
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 13\r\n\r\nINTERNAL-DATA")
            elif path.startswith(b"/redirect"):
                writer.write(f"HTTP/1.1 302 Found\r\nlocation: http://127.0.0.1:{self.port}/internal\r\n"
                             "content-length: 0\r\n\r\n".encode())
            elif path.startswith(b"/huge"):
                writer.write(f"HTTP/1.1 200 OK\r\ncontent-length: {self.huge}\r\n\r\n".encode())
                chunk = b"x" * 65536
                for _ in range(self.huge // 65536):
                    writer.write(chunk)
                    await writer.drain()
            else:
                await asyncio.sleep(3600)
            await writer.drain()
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, AttributeError):
            pass
        finally:
            writer.close()

    def close(self):
        self.loop.call_soon_threadsafe(self.server.close)


def attack_callbacks(server, s):
    receivers = Receivers(s["huge_mib"])
    key = premium_app(server.port, "hostile-receiver")
    accounts = []
    for i in range(s["receivers"]):
        kind = ["redirect", "huge", "silent"][i % 3]
        status, body = call(server.port, "POST", "/api/v1/ecollection/virtual-accounts",
                            {"corpId": "SANDCORP1", "payerCode": f"HOST{i:04d}", "payerName": "Hostile",
                             "callbackUrl": f"http://127.0.0.1:{receivers.port}/{kind}"},
                            headers={"apikey": key})
        accounts.append(body["virtualAccountNumber"])
    counts = {}

    def credit(n):
        return ("POST", "/api/v1/ecollection/simulate-credit",
                {"virtualAccountNumber": accounts[n % len(accounts)], "amount": "10.00", "mode": "IMPS",
                 "remitterName": "Flood", "remitterAccount": "50100012345678",
                 "remitterIfsc": "HDFC0000001", "remarks": "flood"}, {"apikey": key})
    in_threads(s["workers"], s["seconds"], lambda i, until: keepalive_loop(server.port, until, credit, counts))
    time.sleep(2)
    try:
        status, attempts = call(server.port, "GET", "/sandbox/callbacks", headers={"apikey": key},
                                timeout=60)
    except OSError:  # the server did not survive
        status, attempts = None, []
    attempts = attempts if status == 200 and isinstance(attempts, list) else []
    answered = [a for a in attempts if a.get("status") is not None]
    receivers.close()
    return {"credits": counts.get(200, 0), "internal_hits": receivers.internal_hits,
            "attempts_listed": len(attempts), "answered": len(answered),
            "not_sent": sum(1 for a in attempts if "not sent" in (a.get("error") or "")),
            "largest_answer_kept": max((len(a.get("responseBody") or "") for a in attempts), default=0),
            "other": {k: v for k, v in counts.items() if k != 200}}


def neft(reference):
    return {"tranRefNo": reference, "amount": "1.00", "senderAcctNo": "000405000001",
            "beneAccNo": "000405000002", "beneName": "Sandbank Demo Traders", "beneIFSC": "ICIC0000004",
            "narration1": "bench", "narration2": "bound", "crpId": "SANDCORP1", "crpUsr": "SANDUSER1",
            "aggrId": "SANDAGGR1", "aggrName": "SANDBANK", "urn": "SANDURN0001", "txnType": "RGS",
            "WORKFLOW_REQD": "N"}


def cib_balance(port, key, account):
    ids = {"AGGRID": "SANDAGGR1", "CORPID": "SANDCORP1", "USERID": "SANDUSER1", "URN": "SANDURN0001"}
    call(port, "POST", "/api/Corporate/CIB/v1/Registration", {**ids, "AGGRNAME": "SANDBANK"}, {"apikey": key})
    status, body = call(port, "POST", "/api/Corporate/CIB/v1/BalanceInquiry", {**ids, "ACCOUNTNO": account},
                        {"apikey": key})
    return float(body["EFFECTIVEBAL"])


def attack_bound(server, s):
    """Fills an app with pending NEFTs (clock frozen) past the object bound, from `workers` threads;
    then checks the books: debits = credits + pending, before and after the batch."""
    key = premium_app(server.port, "filler")
    headers = {"apikey": key}
    call(server.port, "POST", "/sandbox/clock", {"freeze": "2026-04-01T10:00:00+05:30"}, headers)
    debit0, credit0 = cib_balance(server.port, key, "000405000001"), cib_balance(server.port, key, "000405000002")
    total = s["bound"] + s["over"]
    counts, lock = {}, threading.Lock()
    accepted = []
    started = time.time()

    def fill(i, until):
        c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        for n in range(i, total, s["workers"]):
            ref = f"BND{n:07d}"
            c.request("POST", "/api/v1/composite-payment", body=json.dumps(neft(ref)),
                      headers={"Content-Type": "application/json", "x-priority": "0010", **headers})
            r = c.getresponse()
            body = json.loads(r.read())
            with lock:
                counts[r.status] = counts.get(r.status, 0) + 1
                if r.status == 200 and body.get("STATUS") == "PENDING":
                    accepted.append(ref)
        c.close()
    in_threads(s["workers"], 0, fill)
    fill_seconds = time.time() - started
    again = call(server.port, "POST", "/api/v1/composite-payment", neft("BND0000000"),
                 {"x-priority": "0010", **headers})[1]

    def books():
        debits = round(debit0 - cib_balance(server.port, key, "000405000001"), 2)
        credits = round(cib_balance(server.port, key, "000405000002") - credit0, 2)
        pending = 0
        for ref in accepted:
            if call(server.port, "POST", "/api/v1/composite-status", {"tranRefNo": ref},
                    {"x-priority": "0010", **headers})[1].get("STATUS") == "PENDING":
                pending += 1
        return debits, credits, float(pending)
    d1, c1, p1 = books()
    call(server.port, "POST", "/sandbox/clock", {"advance": "PT1H"}, headers)
    d2, c2, p2 = books()
    return {"sent": total, "accepted": len(accepted), "refused": counts.get(429, 0),
            "fill_req_per_s": round(total / fill_seconds),
            "resent_first_reference": again.get("STATUS"),
            "frozen": {"debits": d1, "credits": c1, "pending": p1, "balanced": d1 == c1 + p1},
            "after_batch": {"debits": d2, "credits": c2, "pending": p2, "balanced": d2 == c2 + p2,
                            "vanished": round(d2 - c2 - p2, 2)}}


ATTACKS = {
    "slowloris": (attack_slowloris, []),
    "idle": (attack_idle, []),
    "chunked": (attack_chunked, []),
    "h2": (attack_h2, []),
    "apps": (attack_apps, []),
    "callbacks": (attack_callbacks, ["--callback-backoff-ms", "200"]),
    "bound": (attack_bound, ["--max-objects-per-app", "{bound}"]),
}


def check(name, result, report):
    """The properties the server promises under each attack (never timing)."""
    problems = []
    attack, after = report["attack"], report["after"]
    if attack["failed"] or after["failed"]:
        problems.append(f"the well-behaved client failed {attack['failed']} + {after['failed']} calls")
    if report.get("server"):
        problems.append(report["server"])
    if attack["rss_mib"] > 512:
        problems.append(f"RSS reached {attack['rss_mib']} MiB")
    if "error" in result:
        problems.append(f"the attack could not finish: {result['error']}")
        return problems
    if name == "callbacks":
        if result["internal_hits"]:
            problems.append(f"callbacks reached the internal URL {result['internal_hits']} times")
        if (result["largest_answer_kept"] or 0) > 4096:
            problems.append(f"kept a {result['largest_answer_kept']}-byte answer")
    if name == "bound":
        for when in ("frozen", "after_batch"):
            if not result[when]["balanced"]:
                problems.append(f"books do not balance ({when}): {result[when]}")
        if result["resent_first_reference"] != "DUPLICATE":
            problems.append(f"a used reference answered {result['resent_first_reference']}")
    if name == "apps" and result["created"] > 200:
        problems.append(f"{result['created']} apps created from one source")
    return problems


def main():
    # An attacker writing into connections the server closed: expected, and noisy.
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--bin", required=True)
    p.add_argument("--scale", choices=SCALES, default="ci")
    p.add_argument("--only", default=",".join(ATTACKS))
    p.add_argument("--seconds", type=float)
    p.add_argument("--json")
    p.add_argument("--check", action="store_true")
    p.add_argument("--workdir", default="target/attacks")
    p.add_argument("--set", action="append", default=[], metavar="KEY=N",
                   help="override one of the scale's sizes, e.g. --set bound=20000")
    p.add_argument("--rss-cap-mib", type=int, default=3072,
                   help="stop a server whose RSS passes this (default 3072)")
    a = p.parse_args()
    s = dict(SCALES[a.scale])
    if a.seconds:
        s["seconds"] = a.seconds
    for item in a.set:
        key, value = item.split("=", 1)
        s[key] = int(value)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the server inherits it too
    if hard != resource.RLIM_INFINITY and s["conns"] > hard - 256:
        # The attacker (and the server) need a descriptor per connection, plus their own.
        s["conns"] = max(64, hard - 256)
        print(f"file-descriptor limit {hard}: attacking with {s['conns']} connections", file=sys.stderr)
    os.makedirs(a.workdir, exist_ok=True)
    results, failed = {}, False
    for name in a.only.split(","):
        run, extra = ATTACKS[name]
        server = Server(a.bin, [x.format(**s) for x in extra], a.workdir, a.rss_cap_mib)
        try:
            observer = Observer(server, premium_app(server.port, "well-behaved"))
            time.sleep(2)
            observer.phase = "attack"
            t0 = time.time()
            try:
                result = run(server, s)
            except Exception as err:  # the server died under the attack, or refused the setup
                result = {"error": repr(err)}
            seconds = round(time.time() - t0, 1)
            observer.phase = "after"
            time.sleep(3)
            observer.stop()
            report = observer.report()
        finally:
            server.stop()
        entry = {"name": name, "seconds": seconds, "result": result, **report}
        if server.killed:
            entry["server"] = server.killed
        if a.check:
            entry["problems"] = check(name, result, {**report, "server": server.killed})
            failed |= bool(entry["problems"])
        results[name] = entry
        print(json.dumps(entry), flush=True)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=2)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
