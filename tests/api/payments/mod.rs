//! Payments & UPI through HTTP as a partner calls them: composite payments on every rail, their
//! status, merchant UPI collect with its callbacks, refunds, QR and VPA validation. Ledger effects
//! are read through the library (`Sandbox::transact`) until the balance inquiry lands.

use rust_decimal::Decimal;
use sandbank::SandboxSettings;
use serde_json::{json, Value};

use crate::helpers::{
    composite::{self, imps, neft},
    decimal, ledger_bank, merged, Answer, LedgerApp,
};

mod callback_status;
mod collect_pay;
mod composite_payment;
mod ledger;
mod qr;
mod refund;
mod upi_fields;
mod validate_address;

ledger_bank!();

fn spawn_bank() -> Bank {
    Bank(LedgerApp::spawn())
}

fn spawn_bank_with(settings: SandboxSettings) -> Bank {
    Bank(LedgerApp::spawn_with(settings))
}

impl Bank {
    /// The sum of every balance in the demo app's ledger.
    fn total(&self) -> Decimal {
        self.ledger(|ledger| ledger.accounts().map(|a| a.balance).sum())
    }

    async fn pay(&self, priority: &str, body: Value) -> Answer {
        composite::pay(&self.app, priority, body).await
    }

    async fn status(&self, priority: &str, body: Value) -> Answer {
        composite::status(&self.app, priority, body).await
    }
}

const CORPORATE: &str = "000405000001";
const SAVINGS: &str = "000401000001";
const SECOND_CORPORATE: &str = "000405000002";

fn upi_pay(seq: &str, payee: &str, amount: &str) -> Value {
    json!({
        "device-id": "400438400438400438",
        "mobile": "9800000001",
        "channel-code": "MICICI",
        "profile-id": "2996304",
        "seq-no": seq,
        "payee-va": payee,
        "payer-va": "9800000001@icici",
        "payee-name": "Sandbank Store",
        "amount": amount,
        "currency": "INR",
        "txn-type": "PAY",
        "remarks": "Order 42",
        "mcc": "5411",
        "merchant-type": "ENTITY"
    })
}

// ---- merchant UPI: collect, status, callbacks ----

const DEMO_MERCHANT: &str = "400000";
const SETTLEMENT: &str = "000406400000";
/// 30 minutes after the frozen clock (10:00 IST).
const COLLECT_BY: &str = "01/04/2026 10:30 AM";

fn collect(tran_id: &str, payer: &str, amount: &str) -> Value {
    json!({
        "payerVa": payer,
        "amount": amount,
        "note": "Order 42",
        "collectByDate": COLLECT_BY,
        "merchantId": DEMO_MERCHANT,
        "merchantName": "Sandbank Store",
        "subMerchantId": DEMO_MERCHANT,
        "subMerchantName": "Sandbank Store",
        "terminalId": "5411",
        "merchantTranId": tran_id,
        "billNumber": "BILL42"
    })
}

fn ids(extra: Value) -> Value {
    merged(
        json!({"merchantId": DEMO_MERCHANT, "subMerchantId": DEMO_MERCHANT, "terminalId": "5411"}),
        extra,
    )
}

impl Bank {
    async fn upi(&self, op: &str, body: Value) -> Answer {
        self.app
            .post(
                &format!("/api/MerchantAPI/UPI/v0/{op}/{DEMO_MERCHANT}"),
                body,
            )
            .await
    }

    async fn upi_status(&self, tran_id: &str) -> Answer {
        self.upi(
            "TransactionStatus3",
            ids(json!({"merchantTranId": tran_id})),
        )
        .await
    }

    /// Raises a collect and returns its BankRRN.
    async fn collect(&self, tran_id: &str, payer: &str, amount: &str) -> String {
        let answer = self
            .upi("CollectPay3", collect(tran_id, payer, amount))
            .await;
        assert_eq!(answer.json["response"], "92", "{:?}", answer.json);
        answer.json["BankRRN"].as_str().unwrap().to_string()
    }

    /// The app's callback attempts once at least `n` are recorded (delivery runs in the background).
    async fn callbacks(&self, n: usize) -> Vec<Value> {
        for _ in 0..250 {
            let answer = self.app.get("/sandbox/callbacks").await;
            let attempts = answer.json.as_array().cloned().unwrap_or_default();
            if attempts.len() >= n {
                return attempts;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("fewer than {n} callback attempts recorded");
    }
}

fn refund(tran_id: &str, original_rrn: &str, original_tran: &str, amount: &str) -> Value {
    ids(json!({
        "originalBankRRN": original_rrn,
        "merchantTranId": tran_id,
        "originalmerchantTranId": original_tran,
        "payeeVa": "success@icici",
        "refundAmount": amount,
        "note": "Returned",
        "onlineRefund": "Y"
    }))
}
