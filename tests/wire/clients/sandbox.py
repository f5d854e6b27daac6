"""What a partner does once, by hand, before the first call: load the bank's certificate, register an
app with a public key, and (in CI) set the app's sandbox clock. Plain HTTP with `requests`."""

import functools
import os

import requests
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

BASE_URL = os.environ.get("SANDBANK_URL", "http://127.0.0.1:8080").rstrip("/")
DEMO_KEY = "sandbank-demo-key"
FROZEN_AT = "2026-04-01T10:00:00+05:30"


def url(path: str) -> str:
    return BASE_URL + path


@functools.lru_cache(maxsize=None)
def bank_public_key():
    """The bank's public key, from its `.cer` (DER), the way partner code loads the bank certificate."""
    response = requests.get(url("/sandbox/keys/bank.cer"), timeout=10)
    response.raise_for_status()
    return x509.load_der_x509_certificate(response.content).public_key()


_KEY_PAIRS = {}


def key_pair(bits: int, name: str = "partner"):
    """A partner key pair (private key, public PEM) for (bits, name), generated once per run."""
    if (bits, name) not in _KEY_PAIRS:
        private = rsa.generate_private_key(public_exponent=65537, key_size=bits)
        public_pem = private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        _KEY_PAIRS[bits, name] = (private, public_pem.decode("ascii"))
    return _KEY_PAIRS[bits, name]


def create_app(name: str, **settings) -> dict:
    """`POST /sandbox/apps`; returns the created app (apikey, client id, ...)."""
    body = {"name": name, **settings}
    response = requests.post(url("/sandbox/apps"), json=body, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


def encrypted_app(name: str, bits: int, key_name: str = "partner", **settings):
    """An app with `encryption: true` and a fresh key pair of `bits`: (app, private key)."""
    private, public_pem = key_pair(bits, key_name)
    app = create_app(name, encryption=True, publicKeyPem=public_pem, **settings)
    return app, private


def control(method: str, path: str, apikey: str, body=None) -> requests.Response:
    """A control-plane call (never encrypted)."""
    return requests.request(method, url(path), json=body, headers={"apikey": apikey}, timeout=10)


def freeze_clock(apikey: str, at: str = FROZEN_AT) -> None:
    response = control("POST", "/sandbox/clock", apikey, {"freeze": at})
    assert response.status_code == 200, response.text


def advance_clock(apikey: str, by: str) -> None:
    response = control("POST", "/sandbox/clock", apikey, {"advance": by})
    assert response.status_code == 200, response.text


def callbacks(apikey: str) -> list:
    response = control("GET", "/sandbox/callbacks", apikey)
    assert response.status_code == 200, response.text
    return response.json()


class GatewayError(Exception):
    """The gateway's plain envelope `{"success": false, "response": code, "errormessage": ...}`."""

    def __init__(self, status: int, body: dict):
        super().__init__(f"{status} {body}")
        self.status = status
        self.body = body
        self.code = body.get("response")
        self.message = body.get("errormessage", "")


def raise_for_gateway_error(response: requests.Response) -> None:
    """Gateway errors come back plain, never encrypted: every client checks for them first."""
    if response.status_code >= 400:
        try:
            body = response.json()
        except ValueError as e:
            raise AssertionError(f"a gateway error must be JSON: {response.status_code} {response.text!r}") from e
        raise GatewayError(response.status_code, body)
