"""Every failure code of the gateway, as partner clients meet it: plain JSON
`{"success": false, "response": <code>, "errormessage": ...}`, never encrypted — even for encrypted apps."""

import json
import os

import pytest
import requests

from clients import crypto, sandbox
from clients.go_cib import CibTool
from clients.php_composite import CompositeClient
from clients.scheme_a import SchemeAClient
from clients.sdk import BankSdk

PAN = "/api/v0/panValidation"


def assert_plain_error(error: sandbox.GatewayError, status: int, code: int) -> str:
    assert error.status == status, error
    assert error.body["success"] is False and error.code == code, error.body
    assert "encryptedKey" not in error.body
    return error.message


def raw_post(apikey, body: bytes, content_type="application/json", **headers) -> sandbox.GatewayError:
    response = requests.post(sandbox.url(PAN), data=body,
                             headers={"apikey": apikey, "content-type": content_type, **headers}, timeout=30)
    with pytest.raises(sandbox.GatewayError) as caught:
        sandbox.raise_for_gateway_error(response)
    assert response.headers["content-type"].startswith("application/json")
    return caught.value


def test_401_without_or_with_an_unknown_apikey():
    for headers in ({}, {"apikey": "no-such-key"}):
        response = requests.post(sandbox.url(PAN), json={"pan": "ABCPE1234F"}, headers=headers, timeout=10)
        with pytest.raises(sandbox.GatewayError) as caught:
            sandbox.raise_for_gateway_error(response)
        assert_plain_error(caught.value, 401, 401)


def test_403_for_a_disabled_app_and_a_family_outside_its_scopes():
    app, private = sandbox.encrypted_app("errors 403", 2048)
    narrow, narrow_private = sandbox.encrypted_app("errors scope", 2048, scopes=["trade"])
    sandbox.control("DELETE", "/sandbox/apps/me", app["apikey"])

    for apikey, key in ((app["apikey"], private), (narrow["apikey"], narrow_private)):
        with pytest.raises(sandbox.GatewayError) as caught:
            BankSdk(apikey, key).post(PAN, {"pan": "ABCPE1234F"})
        assert_plain_error(caught.value, 403, 403)


def test_413_for_a_body_over_a_mebibyte():
    app, _ = sandbox.encrypted_app("errors 413", 2048)

    error = raw_post(app["apikey"], b"{" + b" " * (1024 * 1024 + 1) + b"}")

    assert_plain_error(error, 413, 413)


def test_415_for_scheme_a_from_an_app_without_encryption():
    app = sandbox.create_app("errors 415")
    body = crypto.b64(crypto.rsa_encrypt(sandbox.bank_public_key(), b'{"pan":"ABCPE1234F"}')).encode()

    error = raw_post(app["apikey"], body, content_type="text/plain")

    message = assert_plain_error(error, 415, 415)
    assert "`encryption: true`" in message and "publicKeyPem" in message, message


def test_429_once_the_daily_quota_is_spent():
    app, private = sandbox.encrypted_app("errors 429", 2048, dailyLimit=1)
    sdk = BankSdk(app["apikey"], private)
    sdk.post(PAN, {"pan": "ABCPE1234F"})

    with pytest.raises(sandbox.GatewayError) as caught:
        sdk.post(PAN, {"pan": "ABCPE1234F"})

    assert_plain_error(caught.value, 429, 429)


def test_8013_for_the_timeout_magic_amount():
    app, private = sandbox.encrypted_app("errors 8013", 2048)
    client = CompositeClient(app["apikey"], private)
    payment = {
        "localTxnDtTime": "20260401100000", "beneAccNo": "000405009999", "beneIFSC": "ICIC0000004",
        "amount": "100.96", "tranRefNo": "TIMEOUT-1", "paymentRef": "FTTransferP2A",
        "senderName": "Sandbank Demo Traders", "mobile": "9800000001", "retailerCode": "rcode",
        "passCode": "447c4524c9074b8c97e3a3c40ca7458d", "bcID": "IBCKer00055", "crpId": "SANDCORP1",
        "crpUsr": "SANDUSER1", "aggrId": "SANDAGGR1",
    }

    with pytest.raises(sandbox.GatewayError) as caught:
        client.pay("0100", payment)

    assert_plain_error(caught.value, 504, 8013)


def test_8015_for_a_fingerprint_over_the_envelope_says_so():
    app, private = sandbox.encrypted_app("errors 8015", 2048)
    tool = CibTool(app["apikey"], private)
    plaintext = b'{"pan":"ABCPE1234F"}'
    key, iv = os.urandom(16), os.urandom(16)
    envelope = json.dumps({
        "requestId": "1", "service": "", "oaepHashingAlgorithm": "NONE", "iv": "",
        "encryptedKey": crypto.b64(crypto.rsa_encrypt(tool.bank, key)),
        "encryptedData": crypto.b64(iv + crypto.aes_encrypt(key, iv, plaintext)),
        "clientInfo": "", "optionalParam": "",
    }).encode()
    over_envelope = f"{app['apikey']}|{crypto.sha512_hex(envelope)}".encode()

    error = raw_post(app["apikey"], envelope,
                     **{"X-ID-Fingerprint": crypto.b64(crypto.rsa_encrypt(tool.bank, over_envelope))})

    message = assert_plain_error(error, 400, 8015)
    assert crypto.sha512_hex(plaintext) in message, message
    assert "encrypted body as sent" in message, message


def test_8016_for_what_does_not_decrypt():
    app, private = sandbox.encrypted_app("errors 8016", 4096, key_name="scheme-a")
    bank = sandbox.bank_public_key()
    twenty_byte_key = json.dumps({
        "encryptedKey": crypto.b64(crypto.rsa_encrypt(bank, b"12345678901234567890")),
        "oaepHashingAlgorithm": "NONE", "iv": crypto.b64(b"1234567890123456"),
        "encryptedData": crypto.b64(os.urandom(32)),
    }).encode()
    two_blocks = crypto.b64(crypto.rsa_encrypt(bank, b"{}") * 2).encode()

    for body, content_type, says in (
        (b"not base64 at all!", "text/plain", "base64"),
        (two_blocks, "text/plain", "too long"),
        (twenty_byte_key, "application/json", "16, 24 or 32 bytes"),
    ):
        message = assert_plain_error(raw_post(app["apikey"], body, content_type=content_type), 400, 8016)
        assert says in message, message
    # a scheme-A client whose JSON is wrong inside meets the plain schema error
    with pytest.raises(sandbox.GatewayError) as caught:
        SchemeAClient(app["apikey"], private).post("/api/v0/panValidation", {"pan": 42})
    assert_plain_error(caught.value, 400, 8017)


def test_8017_for_a_schema_error_inside_an_encrypted_request():
    app, private = sandbox.encrypted_app("errors 8017", 2048)

    with pytest.raises(sandbox.GatewayError) as caught:
        BankSdk(app["apikey"], private).post(PAN, {"pan": 42})

    message = assert_plain_error(caught.value, 400, 8017)
    assert "pan" in message, message
