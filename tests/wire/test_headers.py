"""Headers partner code sends over a real socket, each accepted: a hard-coded `content-length`,
`accept: */*`, `x-forwarded-for`, `host`, `X-SDK-Originated`, `X-SDK-Version`, and `APIKEY` in upper
case (header case survives on the wire)."""

import http.client
import json
import urllib.parse

import pytest

from clients import sandbox

BODY = b'{"pan":"ABCPE1234F"}'


def post(headers: list) -> tuple:
    target = urllib.parse.urlsplit(sandbox.url("/api/v0/panValidation"))
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=10)
    connection.putrequest("POST", target.path, skip_host=True, skip_accept_encoding=True)
    names = {name.lower() for name, _ in headers}
    if "host" not in names:
        connection.putheader("Host", target.netloc)
    if "content-length" not in names:
        connection.putheader("Content-Length", str(len(BODY)))
    if "apikey" not in names:
        connection.putheader("apikey", sandbox.DEMO_KEY)
    connection.putheader("Content-Type", "application/json")
    for name, value in headers:
        connection.putheader(name, value)
    connection.endheaders(BODY)
    response = connection.getresponse()
    result = response.status, json.loads(response.read())
    connection.close()
    return result


@pytest.mark.parametrize("header", [
    ("content-length", str(len(BODY))),
    ("accept", "*/*"),
    ("x-forwarded-for", "203.0.113.7, 10.0.0.1"),
    ("host", "apibankingone.example.com"),
    ("X-SDK-Originated", "true"),
    ("X-SDK-Version", "1.0"),
    ("APIKEY", sandbox.DEMO_KEY),
])
def test_each_header_is_accepted(header):
    bare = post([])

    answer = post([header])

    assert answer[0] == 200, answer
    assert answer == bare
