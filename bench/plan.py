#!/usr/bin/env python3
"""Reads specs/openapi.json and prints what bench/run.sh drives, so the bench follows the spec.

    plan.py state-changing      -> `PATH<TAB>BODY` of (c): CIB Transaction with __UNIQUE__ ids if
                                   served, else the sandbox clock advance (a stand-in)
    plan.py mix BASE APIKEY     -> the soak mix (soak.lua's format): every operation whose example
                                   answers 200 twice in a row against BASE, plus IFSC lookup
"""
import http.client, json, sys, urllib.parse

spec = json.load(open("specs/openapi.json"))
TRANSACTION = "/api/Corporate/CIB/v1/Transaction"
KNOWN = {"x-priority": "0100", "merchantId": "400000", "ifsc": "ICIC0000004"}


def schema_of(op):
    s = op["requestBody"]["content"]["application/json"]["schema"]
    while "$ref" in s or ("allOf" in s and len(s["allOf"]) == 1):
        s = s["allOf"][0] if "allOf" in s else spec["components"]["schemas"][s["$ref"].split("/")[-1]]
    return s


def param_value(p):
    s = p.get("schema", {})
    for v in (p.get("example"), s.get("example"), s.get("default"), (s.get("enum") or [None])[0]):
        if v is not None:
            return str(v)
    return KNOWN.get(p["name"], "1")


def fresh_ids(body):
    """Ids the bank refuses to see twice get the placeholder."""
    for key in ("UNIQUEID", "tranRefNo", "merchantTranId", "TranRefNo"):
        if key in body:
            body[key] = "__UNIQUE__"
    return body


def state_changing():
    op = spec["paths"].get(TRANSACTION, {}).get("post")
    if op:
        body = fresh_ids(dict(schema_of(op)["example"]))
        body["WORKFLOW_REQD"] = "N"
        # Small amounts within the bank's rules, so the balance lasts the run.
        if "AMOUNT" in body:
            body["AMOUNT"] = "1.00"
        print(f"{TRANSACTION}\t{json.dumps(body, separators=(',', ':'))}")
    else:
        print('/sandbox/clock\t{"advance":"PT1S"}')


def call(base, method, path, headers, body):
    u = urllib.parse.urlparse(base)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    c.request(method, path, body=body, headers=headers)
    r = c.getresponse()
    r.read()
    return r.status


def mix(base, apikey):
    lines = []
    for path, item in spec["paths"].items():
        if path.startswith("/sandbox/") and path != "/sandbox/clock":
            continue  # creating apps or wiping state is not traffic
        for method, op in item.items():
            if method not in ("get", "post"):
                continue
            headers = {"apikey": apikey}
            concrete = path
            for p in op.get("parameters", []):
                if p["in"] == "path":
                    concrete = concrete.replace("{%s}" % p["name"], param_value(p))
                elif p["in"] == "header" and p["name"].lower() != "x-sandbox-scenario":
                    # The scenario header is a rehearsal, not traffic.
                    headers[p["name"]] = param_value(p)
            body = ""
            if method == "post":
                headers["Content-Type"] = "application/json"
                example = schema_of(op).get("example")
                if example is None:
                    continue
                if path == "/sandbox/clock":
                    example = {"advance": "PT1S"}
                example = fresh_ids(dict(example))
                body = json.dumps(example, separators=(",", ":"))
            if any(call(base, method.upper(), concrete, headers, body.replace("__UNIQUE__", f"PLANPROBE{i}"))
                   != 200 for i in (1, 2)):
                print(f"soak: leaving out {method.upper()} {path} (its example does not answer 200 twice)",
                      file=sys.stderr)
                continue
            hdrs = ";".join(f"{k}={v}" for k, v in headers.items())
            lines.append(f"{method.upper()}\t{concrete}\t{hdrs}\t{body}")
    print("\n".join(lines))


if sys.argv[1] == "state-changing":
    state_changing()
else:
    mix(sys.argv[2], sys.argv[3])
