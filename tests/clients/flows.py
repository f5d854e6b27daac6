#!/usr/bin/env python3
"""One flow per family through the Python client generated from specs/openapi.json.

    flows.py BASE_URL CLIENT_DIR      (CLIENT_DIR holds the generated `sandbank_client` package)

Each flow calls the sandbox the way a partner's code would: typed request models in, typed answers out
(the generated parsers raise on any answer that does not fit the spec). Prints one line per flow and
'N passed, N failed'; exits 1 on any failure.
"""

import sys
import traceback

BASE_URL, CLIENT_DIR = sys.argv[1:3]
sys.path.insert(0, CLIENT_DIR)

from sandbank_client import AuthenticatedClient, Client  # noqa: E402
from sandbank_client.api.auto_loan import auto_loan_otp, auto_loan_otp_verify  # noqa: E402
from sandbank_client.api.banking_offers import offers_pre_approved  # noqa: E402
from sandbank_client.api.building_blocks import pan_validation  # noqa: E402
from sandbank_client.api.cash_management import (  # noqa: E402
    ecollection_simulate_credit,
    ecollection_virtual_account,
)
from sandbank_client.api.i_wish import iwish_goal_creation, iwish_goal_view  # noqa: E402
from sandbank_client.api.o_auth_2 import oauth_token  # noqa: E402
from sandbank_client.api.payments_upi import composite_payment, composite_status  # noqa: E402
from sandbank_client.api.sandbox import create_app, get_app, healthz  # noqa: E402
from sandbank_client.api.trade import bank_guarantee_issuance, bank_guarantee_verify  # noqa: E402
from sandbank_client import models  # noqa: E402

DEMO_KEY = "sandbank-demo-key"


def demo():
    """The demo app, with its apikey where the generated client puts a token."""
    return AuthenticatedClient(base_url=BASE_URL, token=DEMO_KEY, prefix="", auth_header_name="apikey",
                               raise_on_unexpected_status=True)


def ok(answer, model, status=200):
    assert answer.status_code == status, f"HTTP {answer.status_code}: {answer.content[:300]!r}"
    assert isinstance(answer.parsed, model), f"parsed as {type(answer.parsed).__name__}, not {model.__name__}"
    return answer.parsed


def building_blocks():
    answer = ok(pan_validation.sync_detailed(client=demo(), body=models.PanValidationRequest(pan="ABCPE1234F")),
                models.PanValidationResponse)
    assert answer.data.first_name == "Rahul", answer.to_dict()


def auto_loan():
    client = demo()
    sent = ok(auto_loan_otp.sync_detailed(client=client, body=models.AutoLoanOtpRequest(mobile="9800000001")),
              models.AutoLoanOtpResponse)
    assert sent.response_code == "AL000", sent.to_dict()
    verified = ok(auto_loan_otp_verify.sync_detailed(client=client, body=models.AutoLoanOtpVerifyRequest(
        otp_reference=sent.data.otp_reference, otp="123456")), models.AutoLoanOtpVerifyResponse)
    assert verified.response_code == "AL000", verified.to_dict()


def iwish():
    client = demo()
    created = ok(iwish_goal_creation.sync_detailed(client=client, body=models.IwishGoalCreationRequest.from_dict({
        "goalName": "Goa trip", "category": "TRAVEL", "targetAmount": "60000.00", "tenureMonths": 12,
        "initialDeposit": "5000.00", "fundingAccount": "000401000001"})), models.IwishGoalResponse)
    goal_id = created.data.goal_id
    viewed = ok(iwish_goal_view.sync_detailed(client=client, body=models.IwishGoalRequest(goal_id=goal_id)),
                models.IwishGoalResponse)
    assert viewed.data.goal_id == goal_id and viewed.data.goal_name == "Goa trip", viewed.to_dict()


def cash_management():
    client = demo()
    account = ok(ecollection_virtual_account.sync_detailed(client=client, body=models.VirtualAccountRequest.from_dict({
        "corpId": "SANDCORP1", "payerCode": "PYCLIENT1", "payerName": "Asha Traders"})),
        models.VirtualAccountResponse)
    credited = ok(ecollection_simulate_credit.sync_detailed(client=client, body=models.SimulateCreditRequest(
        virtual_account_number=account.virtual_account_number, amount="2500.00", mode=models.CreditMode.NEFT,
        remitter_name="Asha Traders", remitter_account="50100012345678", remitter_ifsc="HDFC0000001")),
        models.SimulateCreditResponse)
    assert credited.amount == "2500.00", credited.to_dict()


def payments():
    client = demo()
    paid = ok(composite_payment.sync_detailed(client=client, x_priority="0100", body=models.CompositePaymentRequest.from_dict({
        "aggrId": "SANDAGGR1", "amount": "1500.00", "bcID": "IBCKer00055", "beneAccNo": "000405009999",
        "beneIFSC": "ICIC0000004", "crpId": "SANDCORP1", "crpUsr": "SANDUSER1", "localTxnDtTime": "20260401103000",
        "mobile": "9800000001", "passCode": "447c4524c9074b8c97e3a3c40ca7458d", "paymentRef": "FTTransferP2A",
        "retailerCode": "rcode", "senderName": "Sandbank Demo Traders", "tranRefNo": "PYCLIENT0000001"})),
        models.ImpsAnswer)
    status = ok(composite_status.sync_detailed(client=client, body=models.CompositeStatusRequest(
        tran_ref_no="PYCLIENT0000001")), models.ImpsAnswer)
    assert paid.to_dict()["BankRRN"] == status.to_dict()["BankRRN"], (paid.to_dict(), status.to_dict())


def trade():
    client = demo()
    issued = ok(bank_guarantee_issuance.sync_detailed(client=client, body=models.GuaranteeIssuanceRequest.from_dict({
        "requestRefNo": "PYCLIENT-BG-1", "guaranteeType": "PERFORMANCE", "applicantAccountNo": "000405000001",
        "beneficiaryName": "National Highways Authority of India", "beneficiaryAddress": "Dwarka, New Delhi",
        "currency": "INR", "amount": "2500000.00", "expiryDate": "2099-03-31", "claimPeriodDays": 30})),
        models.GuaranteeResponse)
    number = issued.guarantee.bg_number
    verified = ok(bank_guarantee_verify.sync_detailed(client=client, body=models.GuaranteeVerifyRequest(
        bg_number=number)), models.GuaranteeResponse)
    assert verified.guarantee.bg_number == number, verified.to_dict()


def offers():
    answer = ok(offers_pre_approved.sync_detailed(client=demo(), body=models.PreApprovedRequest(
        customer_id="CUST000001")), models.PreApprovedResponse)
    assert answer.offers, answer.to_dict()


def oauth2():
    fields = {"grant_type": "client_credentials", "client_id": "sandbank-demo",
              "client_secret": "sandbank-demo-secret", "scope": "building-blocks"}
    anonymous = Client(base_url=BASE_URL)
    # Form-encoded as RFC 6749 has it, and JSON: the generated client picks the encoding by the body's type.
    form = ok(oauth_token.sync_detailed(client=anonymous, body=models.TokenForm.from_dict(fields)),
              models.TokenResponse)
    token = ok(oauth_token.sync_detailed(client=anonymous, body=models.TokenRequest.from_dict(fields)),
               models.TokenResponse)
    assert form.access_token and token.access_token
    bearer = AuthenticatedClient(base_url=BASE_URL, token=token.access_token)
    answer = ok(pan_validation.sync_detailed(client=bearer, body=models.PanValidationRequest(pan="ABCPE1234F")),
                models.PanValidationResponse)
    assert answer.data.first_name == "Rahul"


def sandbox():
    assert healthz.sync_detailed(client=Client(base_url=BASE_URL)).status_code == 200
    created = ok(create_app.sync_detailed(client=demo(), body=models.CreateAppRequest(name="Python client CI")),
                 models.AppCreated, status=201)
    mine = AuthenticatedClient(base_url=BASE_URL, token=created.apikey, prefix="", auth_header_name="apikey")
    me = ok(get_app.sync_detailed(client=mine), models.AppView)
    assert me.name == "Python client CI", me.to_dict()


FLOWS = [building_blocks, auto_loan, iwish, cash_management, payments, trade, offers, oauth2, sandbox]

failed = 0
for flow in FLOWS:
    try:
        flow()
        print(f"ok   {flow.__name__}")
    except Exception:  # noqa: BLE001 - every failure is reported, then counted
        failed += 1
        print(f"FAIL {flow.__name__}")
        traceback.print_exc()
print(f"{len(FLOWS) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
