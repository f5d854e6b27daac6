"""Pattern 5: merchant callback receivers — the callback sealed to the merchant's key, decrypted with
its private key and parsed; and a receiver handed plain JSON, which stores nothing yet answers OK."""

import time

import pytest
import requests

from clients import sandbox
from clients.receiver import MerchantReceiver
from clients.scheme_a import SchemeAClient
from clients.sdk import BankSdk

IDS = {"merchantId": "400000", "subMerchantId": "400000", "terminalId": "5411"}


def merchant_flow(post, apikey: str, tran_id: str) -> dict:
    """QR3 → CollectPay3 → (the payer approves) → TransactionStatus3, through `post(path, body)`."""
    sandbox.freeze_clock(apikey)
    qr = post("/api/MerchantAPI/UPI/v0/QR3/400000",
              {**IDS, "amount": "10.00", "merchantTranId": f"{tran_id}-QR", "billNumber": "B1"})
    collect = post("/api/MerchantAPI/UPI/v0/CollectPay3/400000", {
        **IDS, "payerVa": "success@icici", "amount": "499.00", "note": "Order 42",
        "collectByDate": "01/04/2026 10:30 AM", "merchantName": "Sandbank Store",
        "subMerchantName": "Sandbank Store", "merchantTranId": tran_id, "billNumber": "B2",
    })
    sandbox.advance_clock(apikey, "PT1M")
    status = post("/api/MerchantAPI/UPI/v0/TransactionStatus3/400000", {**IDS, "merchantTranId": tran_id})
    assert qr["qrString"].startswith("upi://pay?"), qr
    assert collect["response"] == "92" and collect["success"] == "true", collect
    assert status["status"] == "SUCCESS", status
    return collect


def wait_for_post(receiver: MerchantReceiver) -> tuple:
    for _ in range(200):
        if receiver.raw:
            return receiver.raw[0]
        time.sleep(0.05)
    raise AssertionError("no callback arrived")


@pytest.fixture
def receiver_for():
    receivers = []

    def make(private_key):
        receiver = MerchantReceiver(private_key)
        receivers.append(receiver)
        return receiver

    yield make
    for receiver in receivers:
        receiver.close()


def assert_stored(receiver: MerchantReceiver, collect: dict, tran_id: str):
    assert len(receiver.stored) == 1, (receiver.errors, receiver.raw)
    payment = receiver.stored[0]
    assert payment["BankRRN"] == collect["BankRRN"]
    assert payment["merchantTranId"] == tran_id
    assert payment["merchantId"] == "400000" and payment["subMerchantId"] == "400000"
    assert payment["terminalId"] == "5411"
    assert payment["PayerVA"] == "success@icici" and payment["PayerAmount"] == "499.00"
    assert payment["TxnStatus"] == "SUCCESS"
    assert payment["PayerName"] and payment["PayerMobile"]
    assert payment["TxnInitDate"] == "20260401100000" and payment["TxnCompletionDate"] == "20260401100005"


def test_a_4096_bit_merchant_receives_the_whole_callback_under_its_key(receiver_for):
    private, _ = sandbox.key_pair(4096, "scheme-a")
    receiver = receiver_for(private)
    app, private = sandbox.encrypted_app("merchant rsa", 4096, key_name="scheme-a", callbackUrl=receiver.url)
    client = SchemeAClient(app["apikey"], private)

    collect = merchant_flow(client.post, app["apikey"], "CB-RSA-1")
    content_type, body = wait_for_post(receiver)

    assert content_type == "text/plain" and not body.startswith(b"{"), body[:40]
    assert_stored(receiver, collect, "CB-RSA-1")


def test_a_merchant_with_a_2048_bit_key_receives_the_hybrid_envelope(receiver_for):
    private, _ = sandbox.key_pair(2048)
    receiver = receiver_for(private)
    app, private = sandbox.encrypted_app("merchant hybrid", 2048, callbackUrl=receiver.url)
    sdk = BankSdk(app["apikey"], private)

    collect = merchant_flow(sdk.post, app["apikey"], "CB-HYB-1")
    content_type, body = wait_for_post(receiver)

    assert content_type == "application/json" and b"encryptedKey" in body, body[:80]
    assert_stored(receiver, collect, "CB-HYB-1")


def test_a_receiver_expecting_ciphertext_stores_nothing_from_a_plain_app_yet_answers_ok(receiver_for):
    private, _ = sandbox.key_pair(4096, "scheme-a")
    receiver = receiver_for(private)
    app = sandbox.create_app("merchant without encryption", callbackUrl=receiver.url)

    def post(path, body):
        response = requests.post(sandbox.url(path), json=body, headers={"apikey": app["apikey"]}, timeout=30)
        sandbox.raise_for_gateway_error(response)
        return response.json()

    merchant_flow(post, app["apikey"], "CB-PLAIN-1")
    content_type, body = wait_for_post(receiver)
    # The receiver has the POST before the sandbox has its answer: the attempt is recorded just after.
    deadline = time.monotonic() + 10
    while not (attempts := sandbox.callbacks(app["apikey"])) and time.monotonic() < deadline:
        time.sleep(0.05)

    assert content_type == "application/json" and b'"BankRRN"' in body, "plain JSON reached the receiver"
    assert receiver.stored == [], "the receiver could not decrypt it, so it stored nothing"
    assert attempts[0]["status"] == 200 and attempts[0]["responseBody"] == "OK", "and yet it said OK"
