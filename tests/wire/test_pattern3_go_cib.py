"""Pattern 3: a Go CIB tool — 16 random bytes, IV prepended, fingerprint, answer key as bytes."""

from clients import sandbox
from clients.go_cib import CibTool


def cib_tool(name: str) -> CibTool:
    app, private = sandbox.encrypted_app(name, 2048)
    sandbox.freeze_clock(app["apikey"])
    return CibTool(app["apikey"], private)


def test_balance_statement_neft_payment_inquiry_and_neft_status_by_utr():
    tool = cib_tool("go cib")

    balance = tool.cib("BalanceInquiry", {"ACCOUNTNO": "000405000001"})
    statement = tool.cib("AccountStatement",
                         {"ACCOUNTNO": "000405000001", "FROMDATE": "01-03-2026", "TODATE": "01-04-2026"})
    paid = tool.cib("Transaction", {
        "AGGRNAME": "SANDBANK", "UNIQUEID": "GO-NEFT-1", "DEBITACC": "000405000001",
        "CREDITACC": "000405009999", "IFSC": "ICIC0000004", "AMOUNT": "1000.00", "CURRENCY": "INR",
        "TXNTYPE": "RGS", "PAYEENAME": "Ravi Kumar", "REMARKS": "Invoice 42", "WORKFLOW_REQD": "N",
    })
    inquiry = tool.cib("TransactionInquiry", {"UNIQUEID": "GO-NEFT-1"})
    pending = tool.neft_status(paid["UTRNUMBER"])
    sandbox.advance_clock(tool.apikey, "PT1H")  # past the next half-hourly NEFT batch
    settled = tool.neft_status(paid["UTRNUMBER"])

    assert balance["RESPONSE"] == "SUCCESS", balance
    assert statement["RESPONSE"] == "SUCCESS" and statement["Record"], statement
    assert paid["STATUS"] == "PENDING" and paid["UTRNUMBER"], paid
    assert inquiry["UTRNUMBER"] == paid["UTRNUMBER"], inquiry
    assert pending["STATUS"] == "PENDING", pending
    assert settled["STATUS"] == "SUCCESS", settled


def test_the_tools_envelope_and_fingerprint_open_and_its_answer_key_is_used_as_bytes():
    tool = cib_tool("go crypto")

    answer = tool.post("/api/v0/panValidation", {"pan": "ABCPE1234F"})

    assert answer["data"]["PAN"] == "ABCPE1234F", answer
