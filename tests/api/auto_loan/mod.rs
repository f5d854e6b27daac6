//! Auto Loan: the application lifecycle through HTTP, every transition allowed and
//! refused, the magic values, the dues moving with the sandbox clock, and the money in the ledger.

use serde_json::{json, Value};

use crate::helpers::{decimal, ledger_bank, Answer, LedgerApp};

mod disbursement_create;
mod documents_upload;
mod eligibility_check;
mod offer_create;
mod otp;
mod repayment_create;
mod sanction_request;
mod status_inquiry;

const DEMO_PAN: &str = "ABCPE1234F";
const DEMO_MOBILE: &str = "9800000001";
const DEMO_SAVINGS: &str = "000401000001";
const DEALER: &str = "000405000002";
const POOL: &str = "000499000001";
const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

ledger_bank!();

impl Bank {
    async fn new() -> Self {
        Self(LedgerApp::frozen().await)
    }
    async fn post(&self, op: &str, body: Value) -> Answer {
        self.app
            .post(&format!("/api/v1/auto-loan/{op}"), body)
            .await
    }
    async fn verify(&self, mobile: &str) {
        let sent = self.post("otp", json!({ "mobile": mobile })).await;
        let reference = sent.json["data"]["otpReference"]
            .as_str()
            .unwrap()
            .to_string();
        let verified = self
            .post(
                "otp/verify",
                json!({ "otpReference": reference, "otp": "123456" }),
            )
            .await;
        assert_success(&verified);
    }

    async fn offer(&self, pan: &str, vehicle: &str, price: &str) -> Answer {
        self.verify(DEMO_MOBILE).await;
        self.post(
            "offer",
            json!({ "pan": pan, "mobile": DEMO_MOBILE, "vehicleType": vehicle,
                    "onRoadPrice": price, "dealerCode": "DLR1001" }),
        )
        .await
    }

    /// An application of the demo person moved to `stage`; returns (applicationNo, loanAccountNo).
    async fn application_at(&self, stage: &str) -> (String, Option<String>) {
        let offer = self.offer(DEMO_PAN, "NEW", "800000.00").await;
        let no = offer.json["data"]["applicationNo"]
            .as_str()
            .unwrap()
            .to_string();
        let steps: &[(&str, Value)] = &[
            (
                "eligibility",
                json!({ "applicationNo": no, "loanAmount": "500000.00", "tenureMonths": 60 }),
            ),
            (
                "documents",
                json!({ "applicationNo": no, "documentType": "PAN", "fileName": "pan.pdf", "sha256": SHA }),
            ),
            (
                "documents",
                json!({ "applicationNo": no, "documentType": "BANK_STATEMENT", "fileName": "stmt.pdf", "sha256": SHA }),
            ),
            ("sanction", json!({ "applicationNo": no })),
        ];
        let order = [
            "OFFERED",
            "ELIGIBLE",
            "ELIGIBLE",
            "DOCUMENTS_RECEIVED",
            "SANCTION_PENDING",
        ];
        for (i, (op, body)) in steps.iter().enumerate() {
            if order[i] == stage {
                return (no, None);
            }
            assert_success(&self.post(op, body.clone()).await);
        }
        if stage == "SANCTION_PENDING" {
            return (no, None);
        }
        self.advance("PT1H").await;
        if stage == "SANCTIONED" {
            return (no, None);
        }
        let disbursed = self
            .post(
                "disbursement",
                json!({ "applicationNo": no, "dealerAccount": DEALER, "dealerIFSC": "ICIC0000004" }),
            )
            .await;
        assert_success(&disbursed);
        let loan = disbursed.json["data"]["loanAccountNo"]
            .as_str()
            .unwrap()
            .to_string();
        if stage == "DISBURSED" {
            return (no, Some(loan));
        }
        self.advance("P1D").await;
        assert_eq!(stage, "ACTIVE");
        (no, Some(loan))
    }

    async fn status(&self, no: &str) -> Value {
        let answer = self.post("status", json!({ "applicationNo": no })).await;
        assert_success(&answer);
        answer.json["data"].clone()
    }
}

#[track_caller]
fn assert_success(answer: &Answer) {
    assert_eq!(answer.status.as_u16(), 200, "{:?}", answer.json);
    assert_eq!(answer.json["status"], "SUCCESS", "{:?}", answer.json);
    assert_eq!(answer.json["responseCode"], "AL000", "{:?}", answer.json);
}

#[track_caller]
fn assert_failure(answer: &Answer, code: &str) {
    assert_eq!(answer.status.as_u16(), 200, "{:?}", answer.json);
    assert_eq!(answer.json["status"], "FAILURE", "{:?}", answer.json);
    assert_eq!(answer.json["responseCode"], code, "{:?}", answer.json);
}
