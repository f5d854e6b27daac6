"""Pattern 2 — PHP composite payments, as Indian PHP shops write them.

`$RANDOMNO1` (16 numeric characters) is the AES-128 key, `$RANDOMNO2` (16 numeric characters) the IV,
sent base64 in `iv` with the ciphertext alone in `encryptedData`; `x-priority` picks the rail; amounts
are whatever the script holds (strings for IMPS, numbers for UPI and NEFT). Answers are opened with
openssl: the RSA-decrypted key used as bytes, AES over all of `encryptedData`, the first 16 bytes
dropped."""

import json
import secrets

import requests

from . import crypto, sandbox

IMPS, UPI, NEFT = "0100", "1000", "0010"


def sixteen_digits() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(16))


class CompositeClient:
    def __init__(self, apikey: str, private_key):
        self.apikey = apikey
        self.private_key = private_key
        self.bank = sandbox.bank_public_key()

    def post(self, path: str, priority: str, payload: dict) -> dict:
        randomno1, randomno2 = sixteen_digits(), sixteen_digits()
        encrypted = crypto.aes_encrypt(randomno1.encode(), randomno2.encode(), json.dumps(payload).encode())
        postbody = {
            "requestId": "order" + sixteen_digits()[:10],
            "service": "",
            "encryptedKey": crypto.b64(crypto.rsa_encrypt(self.bank, randomno1.encode())),
            "oaepHashingAlgorithm": "NONE",
            "iv": crypto.b64(randomno2.encode()),
            "encryptedData": crypto.b64(encrypted),
            "clientInfo": "",
            "optionalParam": "",
        }
        headers = {"content-type": "application/json", "apikey": self.apikey, "x-priority": priority}
        response = requests.post(sandbox.url(path), data=json.dumps(postbody), headers=headers, timeout=30)
        sandbox.raise_for_gateway_error(response)
        answer = response.json()
        key = crypto.rsa_decrypt(self.private_key, crypto.unb64(answer["encryptedKey"]))
        return json.loads(crypto.open_bank_recipe(key, answer["encryptedData"]))

    def pay(self, priority: str, payload: dict) -> dict:
        return self.post("/api/v1/composite-payment", priority, payload)

    def status(self, priority: str, payload: dict) -> dict:
        return self.post("/api/v1/composite-status", priority, payload)
