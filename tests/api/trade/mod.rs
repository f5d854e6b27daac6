//! Trade: outward remittances and bank guarantees through HTTP, with ledger
//! balances read through the library to prove money conservation.

use poem::http::StatusCode;
use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::helpers::{decimal_of, ledger_bank, LedgerApp};

mod account_inquiry;
mod balance_inquiry;
mod guarantee_amendment;
mod guarantee_invocation;
mod guarantee_issuance;
mod transaction_inquiry;
mod transaction_order;

const REMITTER: &str = "000405000001";
const USD_NOSTRO: &str = "000409884001";

ledger_bank!();

impl Bank {
    async fn start() -> Self {
        Self(LedgerApp::frozen().await)
    }

    fn balance(&self, account: &str) -> Decimal {
        self.0
            .balance(account)
            .unwrap_or_else(|| panic!("no account {account}"))
    }

    async fn call(&self, op: &str, body: Value) -> Value {
        let answer = self.app.post(&format!("/api/v1/trade/{op}"), body).await;
        assert_eq!(answer.status, StatusCode::OK, "{op}: {:?}", answer.json);
        answer.json
    }

    async fn order(&self, body: Value) -> Value {
        self.call("remittance/transaction-order", body).await
    }

    async fn inquire(&self, reference: &str) -> Value {
        self.call(
            "remittance/transaction-inquiry",
            json!({ "transactionRefNo": reference }),
        )
        .await
    }
}

fn order_body(reference: &str, currency: &str, amount: &str, charges: &str) -> Value {
    json!({
        "transactionRefNo": reference,
        "remitterAccountNo": REMITTER,
        "currency": currency,
        "amount": amount,
        "beneficiaryName": "Acme Software Inc",
        "beneficiaryAccountNo": "026009593",
        "beneficiaryAddress": "100 Main Street, New York NY 10001, US",
        "beneficiaryBic": "CHASUS33",
        "purposeCode": "S1006",
        "charges": charges,
        "remittanceInformation": "Invoice 2026-118"
    })
}

fn with(mut body: Value, field: &str, value: Value) -> Value {
    body[field] = value;
    body
}

fn assert_uetr_v4(uetr: &str) {
    let groups: Vec<&str> = uetr.split('-').collect();
    let lengths: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    assert_eq!(lengths, [8, 4, 4, 4, 12], "{uetr}");
    assert!(uetr
        .chars()
        .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    assert!(groups[2].starts_with('4'), "version 4: {uetr}");
    assert!("89ab".contains(&groups[3][..1]), "RFC 4122 variant: {uetr}");
}

// ---- bank guarantees ------------------------------------------------------------------------

fn issuance_body(reference: &str) -> Value {
    json!({
        "requestRefNo": reference,
        "guaranteeType": "PERFORMANCE",
        "applicantAccountNo": REMITTER,
        "beneficiaryName": "National Highways Authority of India",
        "beneficiaryAddress": "G-5 and 6, Sector 10, Dwarka, New Delhi 110075",
        "currency": "INR",
        "amount": "2500000.00",
        "expiryDate": "2026-06-30",
        "claimPeriodDays": 30
    })
}

impl Bank {
    async fn issue(&self, body: Value) -> Value {
        self.call("bank-guarantee/issuance", body).await
    }

    async fn verify(&self, bg: &str) -> Value {
        self.call("bank-guarantee/verify", json!({ "bgNumber": bg }))
            .await
    }

    async fn amend(&self, bg: &str, reference: &str, change: Value) -> Value {
        let mut body = json!({ "bgNumber": bg, "amendmentRefNo": reference });
        body.as_object_mut()
            .unwrap()
            .extend(change.as_object().unwrap().clone());
        self.call("bank-guarantee/amendment", body).await
    }

    async fn invoke(&self, bg: &str, reference: &str, amount: &str) -> Value {
        self.call(
            "bank-guarantee/invocation",
            json!({ "bgNumber": bg, "claimRefNo": reference, "claimAmount": amount }),
        )
        .await
    }
}

fn bg_number(answer: &Value) -> String {
    answer["guarantee"]["bgNumber"]
        .as_str()
        .unwrap_or_else(|| panic!("no bgNumber in {answer}"))
        .to_string()
}
