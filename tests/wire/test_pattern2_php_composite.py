"""Pattern 2: PHP composite payments — `iv` field, 16 numeric characters, x-priority, numeric amounts."""

from clients import sandbox
from clients.php_composite import IMPS, NEFT, UPI, CompositeClient


def composite_app(name: str) -> CompositeClient:
    app, private = sandbox.encrypted_app(name, 2048)
    sandbox.freeze_clock(app["apikey"])
    return CompositeClient(app["apikey"], private)


def test_imps_with_a_string_amount_and_its_status():
    client = composite_app("php imps")
    payment = {
        "localTxnDtTime": "20260401100000", "beneAccNo": "000405009999", "beneIFSC": "ICIC0000004",
        "amount": "287.00", "tranRefNo": "order1775017800", "paymentRef": "FTTransferP2A",
        "senderName": "Sandbank Demo Traders", "mobile": "9800000001", "retailerCode": "rcode",
        "passCode": "447c4524c9074b8c97e3a3c40ca7458d", "bcID": "IBCKer00055", "crpId": "SANDCORP1",
        "crpUsr": "SANDUSER1", "aggrId": "SANDAGGR1",
    }

    paid = client.pay(IMPS, payment)
    status = client.status(IMPS, {"tranRefNo": "order1775017800"})

    assert paid["ActCode"] == "0", paid
    assert len(paid["BankRRN"]) == 12
    assert status["ActCode"] == "0" and status["BankRRN"] == paid["BankRRN"], status


def test_upi_from_the_banks_sample_packet_with_a_numeric_amount_and_its_status():
    client = composite_app("php upi")
    payment = {  # no payee-name, no currency: the bank's sample packet
        "device-id": "400438400438400438400438", "mobile": "9800000001", "channel-code": "MICICI",
        "profile-id": "2996304", "seq-no": "ICI5DC866EA6ADC427", "payee-va": "sandbankstore@icici",
        "payer-va": "9800000001@icici", "amount": 1, "txn-type": "merchantToPersonPay",
        "remarks": "test", "mcc": "6012", "merchant-type": "ENTITY",
    }

    paid = client.pay(UPI, payment)
    status = client.status(UPI, {"seq-no": "ICI5DC866EA6ADC427"})

    assert paid["success"] == "true" and paid["status"] == "SUCCESS", paid
    assert status["BankRRN"] == paid["BankRRN"] and status["status"] == "SUCCESS", status


def test_neft_with_a_numeric_amount_without_narration2_and_its_cib_status():
    client = composite_app("php neft")
    payment = {
        "tranRefNo": "order1775017801", "amount": 5, "senderAcctNo": "000405000001",
        "beneAccNo": "000405009999", "beneName": "Ravi Kumar", "beneIFSC": "ICIC0000004",
        "narration1": "test", "crpId": "SANDCORP1", "crpUsr": "SANDUSER1", "aggrId": "SANDAGGR1",
        "urn": "SANDURN0001", "aggrName": "SANDBANK", "txnType": "RGS", "WORKFLOW_REQD": "N",
    }

    cib_form = {
        "AGGRID": "SANDAGGR1", "CORPID": "SANDCORP1", "USERID": "SANDUSER1", "URN": "SANDURN0001",
        "UNIQUEID": "order1775017801",
    }

    paid = client.pay(NEFT, payment)
    pending = client.status(NEFT, cib_form)
    sandbox.advance_clock(client.apikey, "PT1H")  # past the next half-hourly NEFT batch
    settled = client.status(NEFT, cib_form)

    assert paid["RESPONSE"] == "SUCCESS" and paid["STATUS"] == "PENDING", paid
    assert pending["STATUS"] == "PENDING" and pending["UTRNUMBER"] == paid["UTRNUMBER"], pending
    assert settled["STATUS"] == "SUCCESS" and settled["UTRNUMBER"] == paid["UTRNUMBER"], settled
