"""Pattern 3 — a Go CIB tool (and the Java/Node CIB modules like it).

Hybrid envelope with 16 random bytes as the AES-128 key and the IV prepended, `X-ID-Fingerprint` over
the plaintext (Go's `json.Marshal`: compact), the CIB identity in upper case. The answer's key is used
as raw bytes, never decoded."""

import json
import os

import requests

from . import crypto, sandbox

IDENTITY = {"AGGRID": "SANDAGGR1", "CORPID": "SANDCORP1", "USERID": "SANDUSER1", "URN": "SANDURN0001"}


class CibTool:
    def __init__(self, apikey: str, private_key):
        self.apikey = apikey
        self.private_key = private_key
        self.bank = sandbox.bank_public_key()

    def post(self, path: str, payload: dict) -> dict:
        plaintext = json.dumps(payload, separators=(",", ":")).encode()
        key, iv = os.urandom(16), os.urandom(16)
        envelope = {
            "requestId": os.urandom(8).hex(),
            "service": "CIB",
            "encryptedKey": crypto.b64(crypto.rsa_encrypt(self.bank, key)),
            "oaepHashingAlgorithm": "NONE",
            "iv": "",
            "encryptedData": crypto.b64(iv + crypto.aes_encrypt(key, iv, plaintext)),
            "clientInfo": "",
            "optionalParam": "",
        }
        fingerprint = crypto.rsa_encrypt(self.bank, f"{self.apikey}|{crypto.sha512_hex(plaintext)}".encode())
        headers = {
            "Content-Type": "application/json",
            "apikey": self.apikey,
            "X-ID-Fingerprint": crypto.b64(fingerprint),
        }
        response = requests.post(sandbox.url(path), data=json.dumps(envelope), headers=headers, timeout=30)
        sandbox.raise_for_gateway_error(response)
        answer = response.json()
        answer_key = crypto.rsa_decrypt(self.private_key, crypto.unb64(answer["encryptedKey"]))
        return json.loads(crypto.open_bank_recipe(answer_key, answer["encryptedData"]))

    def cib(self, op: str, fields: dict) -> dict:
        return self.post(f"/api/Corporate/CIB/v1/{op}", {**IDENTITY, **fields})

    def neft_status(self, utr: str) -> dict:
        return self.post("/api/v1/CIBNEFTStatus", {**IDENTITY, "UTRNUMBER": utr})
