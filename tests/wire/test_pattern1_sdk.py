"""Pattern 1: the bank's SDK — 32-character text key, IV prepended, fingerprint, UTF-8 answer key."""

from clients import sandbox
from clients.sdk import BankSdk

IMPS = {
    "localTxnDtTime": "20260401100000", "beneAccNo": "000405009999", "beneIFSC": "ICIC0000004",
    "amount": "1500.00", "tranRefNo": "SDK-IMPS-1", "paymentRef": "FTTransferP2A",
    "senderName": "Sandbank Demo Traders", "mobile": "9800000001", "retailerCode": "rcode",
    "passCode": "447c4524c9074b8c97e3a3c40ca7458d", "bcID": "IBCKer00055", "crpId": "SANDCORP1",
    "crpUsr": "SANDUSER1", "aggrId": "SANDAGGR1",
}


def sdk_app(name: str) -> BankSdk:
    app, private = sandbox.encrypted_app(name, 2048)
    sandbox.freeze_clock(app["apikey"])
    return BankSdk(app["apikey"], private)


def test_an_imps_payment_and_its_status_through_the_sdk():
    sdk = sdk_app("sdk imps")

    paid = sdk.post("/api/v1/composite-payment", IMPS, headers={"x-priority": "0100"})
    status = sdk.post("/api/v1/composite-status", {"tranRefNo": "SDK-IMPS-1"}, headers={"x-priority": "0100"})

    assert paid["ActCode"] == "0", paid
    assert paid["BeneName"] == "Ravi Kumar"
    assert status == paid


def test_16_and_24_character_keys_work_the_same_way():
    for length in (16, 24):
        app, private = sandbox.encrypted_app(f"sdk key {length}", 2048)
        sdk = BankSdk(app["apikey"], private, key_length=length)

        answer = sdk.post("/api/v0/panValidation", {"pan": "ABCPE1234F"})

        assert answer["data"]["PAN"] == "ABCPE1234F", answer


def test_merchant_qr_collect_and_status_without_sub_merchant_id():
    sdk = sdk_app("sdk merchant")
    ids = {"merchantId": "400000", "terminalId": "5411"}

    qr = sdk.post("/api/MerchantAPI/UPI/v0/QR3/400000",
                  {**ids, "amount": "10.00", "merchantTranId": "SDK-QR-1", "billNumber": "B1"})
    collect = sdk.post("/api/MerchantAPI/UPI/v0/CollectPay3/400000", {
        **ids, "payerVa": "success@icici", "amount": "499.00", "note": "Order 42",
        "collectByDate": "01/04/2026 10:30 AM", "merchantName": "Sandbank Store",
        "subMerchantName": "Sandbank Store", "merchantTranId": "SDK-COLLECT-1", "billNumber": "B2",
    })
    sandbox.advance_clock(sdk.apikey, "PT1M")
    status = sdk.post("/api/MerchantAPI/UPI/v0/TransactionStatus3/400000",
                      {**ids, "merchantTranId": "SDK-COLLECT-1"})

    assert qr["qrString"].startswith("upi://pay?"), qr
    assert collect["response"] == "92", collect
    assert status["status"] == "SUCCESS" and status["OriginalBankRRN"] == collect["BankRRN"], status
