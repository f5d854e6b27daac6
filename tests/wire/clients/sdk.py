"""Pattern 1 — the bank's own SDK (Python; the Node and Go SDKs behave alike).

Hybrid envelope with `iv: ""` and the raw IV prepended to the AES ciphertext; a 32-character text
session key (`KEY_LENGTH="32"`, so AES-256); `X-ID-Fingerprint` over the plaintext JSON it serialised;
`X-SDK-Originated` / `X-SDK-Version`. It opens answers by RSA-decrypting `encryptedKey`, UTF-8-decoding
the key, AES-decrypting `encryptedData` and dropping the first 16 bytes."""

import json
import os
import secrets
import string
import uuid

import requests

from . import crypto, sandbox

KEY_LENGTH = 32


class BankSdk:
    def __init__(self, apikey: str, private_key, key_length: int = KEY_LENGTH):
        self.apikey = apikey
        self.private_key = private_key
        self.key_length = key_length
        self.bank = sandbox.bank_public_key()

    def post(self, path: str, payload: dict, headers: dict | None = None) -> dict:
        plaintext = json.dumps(payload).encode("utf-8")  # the SDK's json.dumps, spaces and all
        session_key = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(self.key_length))
        iv = os.urandom(16)
        envelope = {
            "requestId": uuid.uuid4().hex,
            "service": "",
            "encryptedKey": crypto.b64(crypto.rsa_encrypt(self.bank, session_key.encode("utf-8"))),
            "oaepHashingAlgorithm": "NONE",
            "iv": "",
            "encryptedData": crypto.b64(iv + crypto.aes_encrypt(session_key.encode("utf-8"), iv, plaintext)),
            "clientInfo": "",
            "optionalParam": "",
        }
        fingerprint = f"{self.apikey}|{crypto.sha512_hex(plaintext)}".encode("utf-8")
        sent_headers = {
            "apikey": self.apikey,
            "Content-Type": "application/json",
            "X-SDK-Originated": "true",
            "X-SDK-Version": "1.0",
            "X-ID-Fingerprint": crypto.b64(crypto.rsa_encrypt(self.bank, fingerprint)),
            **(headers or {}),
        }
        response = requests.post(sandbox.url(path), data=json.dumps(envelope), headers=sent_headers, timeout=30)
        sandbox.raise_for_gateway_error(response)
        return self.open(response.json())

    def open(self, answer: dict) -> dict:
        session_key = crypto.rsa_decrypt(self.private_key, crypto.unb64(answer["encryptedKey"])).decode("utf-8")
        plaintext = crypto.open_bank_recipe(session_key.encode("utf-8"), answer["encryptedData"])
        return json.loads(plaintext)
