"""Pattern 5 — a merchant's UPI callback receiver, as production PHP payment gateways write it.

It expects the bank's callback encrypted to the merchant's key, in either form public receivers
handle: base64(RSA PKCS#1 v1.5 of the whole JSON) as the raw body, or the hybrid envelope. It decrypts
with the merchant's private key, reads the fields it stores, and answers 200 `OK` whatever happens —
so a receiver that gets plain JSON stores nothing and still says OK: the silent failure."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import crypto

FIELDS = [
    "merchantId", "subMerchantId", "terminalId", "BankRRN", "merchantTranId", "PayerName",
    "PayerMobile", "PayerVA", "PayerAmount", "TxnStatus", "TxnInitDate", "TxnCompletionDate",
]


class MerchantReceiver:
    def __init__(self, private_key):
        self.private_key = private_key
        self.stored = []  # the payments the merchant recorded
        self.raw = []  # (content type, body) of every POST, for the test's eyes only
        self.errors = []  # what the receiver logged
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                receiver.raw.append((self.headers.get("content-type", ""), body))
                receiver.receive(body)
                self.send_response(200)
                self.send_header("content-type", "text/plain")
                self.end_headers()
                self.wfile.write(b"OK")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/upi/callback"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def decrypt(self, body: bytes) -> dict:
        text = body.decode("ascii").strip()
        if text.startswith("{"):
            envelope = json.loads(text)
            key = crypto.rsa_decrypt(self.private_key, crypto.unb64(envelope["encryptedKey"]))
            return json.loads(crypto.open_bank_recipe(key, envelope["encryptedData"]))
        return json.loads(crypto.rsa_decrypt(self.private_key, crypto.unb64(text)))

    def receive(self, body: bytes) -> None:
        try:
            callback = self.decrypt(body)
            self.stored.append({field: callback[field] for field in FIELDS})
        except Exception as e:  # noqa: BLE001 — as the receivers do: log, store nothing, answer OK
            self.errors.append(repr(e))

    def close(self):
        self.server.shutdown()
        self.server.server_close()
