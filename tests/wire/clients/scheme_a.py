"""Pattern 4 — scheme A CIB clients (Python, C#, PHP; the older generation).

The body is base64(RSA/ECB/PKCS1 v1.5 of the whole JSON) under the bank certificate, sent as
`text/plain` with the `apikey` header — and the headers some of them hard-code: `content-length`,
`accept: */*`, `x-forwarded-for`, `host`. Answers are base64 RSA under the client's 4096-bit key;
statements, too long for one RSA block, come back in the hybrid envelope and are opened as the PHP
clients open them."""

import http.client
import json
import urllib.parse

from . import crypto, sandbox
from .go_cib import IDENTITY


class SchemeAClient:
    def __init__(self, apikey: str, private_key):
        self.apikey = apikey
        self.private_key = private_key
        self.bank = sandbox.bank_public_key()
        #: How the last answer came: "rsa" (whole body) or "envelope" (hybrid).
        self.last_form = None

    def post(self, path: str, payload: dict) -> dict:
        body = crypto.b64(crypto.rsa_encrypt(self.bank, json.dumps(payload).encode())).encode()
        target = urllib.parse.urlsplit(sandbox.url(path))
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
        # Hard-coded the way these clients write them, upper-case apikey included.
        connection.putrequest("POST", target.path, skip_host=True, skip_accept_encoding=True)
        for name, value in [
            ("host", "apibankingone.example.com"),
            ("content-type", "text/plain"),
            ("content-length", str(len(body))),
            ("accept", "*/*"),
            ("x-forwarded-for", "203.0.113.7"),
            ("APIKEY", self.apikey),
        ]:
            connection.putheader(name, value)
        connection.endheaders(body)
        response = connection.getresponse()
        status, content_type, raw = response.status, response.getheader("content-type", ""), response.read()
        connection.close()
        if status >= 400:
            raise sandbox.GatewayError(status, json.loads(raw))
        if content_type.startswith("text/plain"):
            self.last_form = "rsa"
            return json.loads(crypto.rsa_decrypt(self.private_key, crypto.unb64(raw)))
        self.last_form = "envelope"
        envelope = json.loads(raw)
        key = crypto.rsa_decrypt(self.private_key, crypto.unb64(envelope["encryptedKey"]))
        return json.loads(crypto.open_bank_recipe(key, envelope["encryptedData"]))

    def cib(self, op: str, fields: dict) -> dict:
        return self.post(f"/api/Corporate/CIB/v1/{op}", {**IDENTITY, **fields})
