"""Pattern 4: scheme A CIB clients — the whole JSON under RSA, text/plain, a 4096-bit key, hard-coded
headers; statements come back in the hybrid envelope."""

from clients import sandbox
from clients.scheme_a import SchemeAClient


def scheme_a_client(name: str) -> SchemeAClient:
    app, private = sandbox.encrypted_app(name, 4096, key_name="scheme-a")
    sandbox.freeze_clock(app["apikey"])
    return SchemeAClient(app["apikey"], private)


def test_a_short_answer_comes_back_whole_body_and_a_long_one_in_the_envelope():
    client = scheme_a_client("scheme a crypto")

    pan = client.post("/api/v0/panValidation", {"pan": "ABCPE1234F"})
    pan_form = client.last_form
    bureau = client.post("/api/v1/bureau-check", {
        "pan": "ABCPE1234F", "name": "Rahul Kumar Eswaran", "dateOfBirth": "1988-04-12",
        "mobile": "9800000001", "consent": "Y",
    })

    assert pan["data"]["PAN"] == "ABCPE1234F" and pan_form == "rsa", pan
    assert bureau["score"] == 780 and client.last_form == "envelope", bureau


def test_balance_statement_with_paging_otp_payment_and_inquiry():
    client = scheme_a_client("scheme a cib")

    balance = client.cib("BalanceInquiry", {"ACCOUNTNO": "000405000001"})
    balance_form = client.last_form
    pages, cursor = [], None
    while True:
        fields = {"ACCOUNTNO": "000405000001", "FROMDATE": "01-01-2026", "TODATE": "01-04-2026"}
        if cursor:
            fields.update({"CONFLG": "Y", "LASTTRID": cursor})
        page = client.cib("AccountStatement", fields)
        pages.append((client.last_form, page))
        if page["CONFLG"] == "N":
            break
        cursor = page["LASTTRID"]
    payment = {
        "AGGRNAME": "SANDBANK", "UNIQUEID": "SCHEME-A-1", "DEBITACC": "000405000001",
        "CREDITACC": "000405009999", "IFSC": "ICIC0000004", "AMOUNT": "2500.00", "CURRENCY": "INR",
        "TXNTYPE": "RGS", "PAYEENAME": "Ravi Kumar", "REMARKS": "Invoice 42", "WORKFLOW_REQD": "N",
    }
    created = client.cib("Create", {"UNIQUEID": "SCHEME-A-1", "AMOUNT": "2500.00"})
    paid = client.cib("TransactionOTP", {**payment, "OTP": "123456"})
    inquiry = client.cib("TransactionInquiry", {"UNIQUEID": "SCHEME-A-1"})

    assert balance["RESPONSE"] == "SUCCESS" and balance_form == "rsa", balance
    assert len(pages) > 1, "the demo account's history spans more than one page"
    assert all(form == "envelope" for form, _ in pages), [form for form, _ in pages]
    assert all(page["RESPONSE"] == "SUCCESS" for _, page in pages)
    assert created["RESPONSE"] == "SUCCESS", created
    assert paid["STATUS"] in ("SUCCESS", "PENDING"), paid
    assert inquiry["UTRNUMBER"] == paid["UTRNUMBER"], inquiry

