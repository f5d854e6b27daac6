//! Auto Loan: the application lifecycle through HTTP, every transition allowed and
//! refused, the magic values, the dues moving with the sandbox clock, and the money in the ledger.

use std::sync::Arc;

use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::helpers::{ledger_bank, Answer, LedgerApp};

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

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

// ---- OTP ------------------------------------------------------------------------------------

#[tokio::test]
async fn the_sandbox_otp_verifies_the_mobile_and_any_other_fails() {
    let bank = Bank::new().await;

    let sent = bank.post("otp", json!({ "mobile": DEMO_MOBILE })).await;
    let reference = sent.json["data"]["otpReference"]
        .as_str()
        .unwrap()
        .to_string();
    let wrong = bank
        .post(
            "otp/verify",
            json!({ "otpReference": reference, "otp": "654321" }),
        )
        .await;
    let right = bank
        .post(
            "otp/verify",
            json!({ "otpReference": reference, "otp": "123456" }),
        )
        .await;
    let again = bank
        .post(
            "otp/verify",
            json!({ "otpReference": reference, "otp": "123456" }),
        )
        .await;

    assert_success(&sent);
    assert_eq!(sent.json["data"]["maskedMobile"], "98XXXXX001");
    assert_eq!(sent.json["data"]["expiresInSeconds"], 300);
    assert!(reference.starts_with("OTP") && reference.len() == 13);
    assert_failure(&wrong, "AL101");
    assert_success(&right);
    assert_eq!(
        right.json["data"],
        json!({ "verified": true, "mobile": DEMO_MOBILE })
    );
    assert_failure(&again, "AL102");
}

#[tokio::test]
async fn an_otp_expires_after_five_minutes_and_unknown_references_fail() {
    let bank = Bank::new().await;
    let sent = bank.post("otp", json!({ "mobile": DEMO_MOBILE })).await;
    let reference = sent.json["data"]["otpReference"]
        .as_str()
        .unwrap()
        .to_string();

    bank.advance("PT6M").await;
    let late = bank
        .post(
            "otp/verify",
            json!({ "otpReference": reference, "otp": "123456" }),
        )
        .await;
    let unknown = bank
        .post(
            "otp/verify",
            json!({ "otpReference": "OTP9999999999", "otp": "123456" }),
        )
        .await;
    let malformed = bank
        .post(
            "otp/verify",
            json!({ "otpReference": reference, "otp": "12345" }),
        )
        .await;

    assert_failure(&late, "AL102");
    assert_failure(&unknown, "AL102");
    assert!(malformed.assert_envelope(400, 8017).contains("`otp`"));
}

#[tokio::test]
async fn an_offer_needs_a_recently_verified_mobile() {
    let bank = Bank::new().await;
    let body = json!({ "pan": DEMO_PAN, "mobile": DEMO_MOBILE, "vehicleType": "NEW",
                       "onRoadPrice": "800000.00", "dealerCode": "DLR1001" });

    let unverified = bank.post("offer", body.clone()).await;
    bank.verify(DEMO_MOBILE).await;
    let verified = bank.post("offer", body.clone()).await;
    bank.advance("PT31M").await;
    let stale = bank.post("offer", body).await;

    assert_failure(&unverified, "AL103");
    assert!(unverified.json.get("data").is_none());
    assert_success(&verified);
    assert_failure(&stale, "AL103");
}

// ---- Offer ----------------------------------------------------------------------------------

#[tokio::test]
async fn the_demo_person_gets_an_income_limited_offer() {
    let bank = Bank::new().await;

    let offer = bank.offer(DEMO_PAN, "NEW", "800000.00").await;

    assert_success(&offer);
    let data = &offer.json["data"];
    let no = data["applicationNo"].as_str().unwrap();
    assert!(no.starts_with("ALN") && no.len() == 13, "{no}");
    assert_eq!(
        data,
        &json!({
            "applicationNo": no,
            "state": "OFFERED",
            "offerAmount": "581000.00",
            "maxTenureMonths": 84,
            "roi": "8.75",
            "bureauScore": 780,
            "reasons": ["LIMITED_BY_INCOME"]
        })
    );
}

#[tokio::test]
async fn a_modest_vehicle_is_limited_by_value_and_a_used_one_costs_more() {
    let bank = Bank::new().await;

    let new = bank.offer(DEMO_PAN, "NEW", "400000.00").await;
    let used = bank.offer(DEMO_PAN, "USED", "400000.00").await;

    assert_eq!(new.json["data"]["offerAmount"], "360000.00", "90% LTV");
    assert_eq!(new.json["data"]["reasons"], json!([]));
    assert_eq!(used.json["data"]["offerAmount"], "320000.00", "80% LTV");
    assert_eq!(used.json["data"]["roi"], "10.25");
    assert_eq!(used.json["data"]["maxTenureMonths"], 60);
}

#[tokio::test]
async fn a_middling_score_gets_a_lower_ltv_and_a_higher_rate() {
    let bank = Bank::new().await;

    // YIIPV9136S: score 719, income ₹2,05,000.
    let offer = bank.offer("YIIPV9136S", "NEW", "400000.00").await;

    assert_success(&offer);
    assert_eq!(offer.json["data"]["bureauScore"], 719);
    assert_eq!(offer.json["data"]["roi"], "10.00");
    assert_eq!(offer.json["data"]["offerAmount"], "320000.00", "80% LTV");
    assert_eq!(
        offer.json["data"]["reasons"],
        json!(["LTV_REDUCED_FOR_SCORE"])
    );
}

#[tokio::test]
async fn weak_bureau_reports_are_rejected_with_reasons() {
    let bank = Bank::new().await;
    let cases = [
        ("UJGPK3526L", "BUREAU_SCORE_BELOW_CUTOFF"),
        ("VTRPD8029Q", "NO_CREDIT_HISTORY"),
        ("ABCPE0000F", "PAN_NOT_FOUND"),
        ("ABCPE9999F", "PAN_DEACTIVATED"),
        ("RXXPM8735X", "SEVERE_DELINQUENCY"),
        ("STWPJ0978A", "FOIR_EXCEEDED"),
    ];

    for (pan, reason) in cases {
        let offer = bank.offer(pan, "NEW", "800000.00").await;

        assert_failure(&offer, "AL203");
        assert_eq!(offer.json["data"]["state"], "REJECTED", "{pan}");
        assert_eq!(offer.json["data"]["reasons"], json!([reason]), "{pan}");
        assert_eq!(offer.json["data"]["offerAmount"], "0.00", "{pan}");
        let no = offer.json["data"]["applicationNo"].as_str().unwrap();
        let next = bank
            .post(
                "eligibility",
                json!({ "applicationNo": no, "loanAmount": "1000.00", "tenureMonths": 12 }),
            )
            .await;
        assert_failure(&next, "AL202");
        assert_eq!(next.json["currentState"], "REJECTED");
        assert_eq!(next.json["allowedNextSteps"], json!([]));
    }
}

#[tokio::test]
async fn offer_magic_values_and_validation() {
    let bank = Bank::new().await;
    bank.verify(DEMO_MOBILE).await;
    let body = |field: &str, value: Value| {
        let mut body = json!({ "pan": DEMO_PAN, "mobile": DEMO_MOBILE, "vehicleType": "NEW",
                               "onRoadPrice": "800000.00", "dealerCode": "DLR1001" });
        body[field] = value;
        body
    };

    let dealer = bank
        .post("offer", body("dealerCode", json!("DLR0000")))
        .await;
    let timeout = bank
        .post("offer", body("onRoadPrice", json!("800000.96")))
        .await;
    let vehicle = bank
        .post("offer", body("vehicleType", json!("SCOOTER")))
        .await;
    let code = bank.post("offer", body("dealerCode", json!("dlr-1"))).await;
    let pan = bank.post("offer", body("pan", json!("ABC"))).await;

    assert_failure(&dealer, "AL204");
    timeout.assert_envelope(504, 8013);
    assert!(vehicle.assert_envelope(400, 8017).contains("`vehicleType`"));
    assert!(code.assert_envelope(400, 8017).contains("`dealerCode`"));
    assert!(pan.assert_envelope(400, 8017).contains("`pan`"));
}

// ---- Eligibility, documents, sanction -------------------------------------------------------

#[tokio::test]
async fn eligibility_prices_the_chosen_terms_by_reducing_balance() {
    let bank = Bank::new().await;
    let (no, _) = bank.application_at("OFFERED").await;

    let answer = bank
        .post(
            "eligibility",
            json!({ "applicationNo": no, "loanAmount": "500000.00", "tenureMonths": 60 }),
        )
        .await;

    assert_success(&answer);
    assert_eq!(
        answer.json["data"],
        json!({
            "applicationNo": no,
            "state": "ELIGIBLE",
            "eligible": true,
            "loanAmount": "500000.00",
            "tenureMonths": 60,
            "emi": "10318.62",
            "roi": "8.75",
            "processingFee": "2500.00",
            "reasons": []
        })
    );
}

#[tokio::test]
async fn terms_beyond_the_offer_are_not_eligible_and_change_nothing() {
    let bank = Bank::new().await;
    let (no, _) = bank.application_at("OFFERED").await;

    let too_much = bank
        .post(
            "eligibility",
            json!({ "applicationNo": no, "loanAmount": "600000.00", "tenureMonths": 84 }),
        )
        .await;
    let used_offer = bank.offer(DEMO_PAN, "USED", "400000.00").await;
    let used_no = used_offer.json["data"]["applicationNo"].as_str().unwrap();
    let too_long = bank
        .post(
            "eligibility",
            json!({ "applicationNo": used_no, "loanAmount": "100000.00", "tenureMonths": 72 }),
        )
        .await;
    let out_of_range = bank
        .post(
            "eligibility",
            json!({ "applicationNo": no, "loanAmount": "100000.00", "tenureMonths": 6 }),
        )
        .await;
    let bad_no = bank
        .post(
            "eligibility",
            json!({ "applicationNo": "AL1", "loanAmount": "100000.00", "tenureMonths": 12 }),
        )
        .await;
    let unknown = bank
        .post("eligibility", json!({ "applicationNo": "ALN0000000000", "loanAmount": "100000.00", "tenureMonths": 12 }))
        .await;

    assert_success(&too_much);
    assert_eq!(too_much.json["data"]["eligible"], false);
    assert_eq!(
        too_much.json["data"]["reasons"],
        json!(["LOAN_AMOUNT_ABOVE_OFFER"])
    );
    assert_eq!(too_much.json["data"]["state"], "OFFERED");
    assert_eq!(too_much.json["data"]["emi"], "0.00");
    assert_eq!(
        too_long.json["data"]["reasons"],
        json!(["TENURE_ABOVE_MAX"])
    );
    assert!(out_of_range
        .assert_envelope(400, 8017)
        .contains("`tenureMonths`"));
    assert!(bad_no
        .assert_envelope(400, 8017)
        .contains("`applicationNo`"));
    assert_failure(&unknown, "AL201");
    assert_eq!(bank.status(&no).await["state"], "OFFERED");
}

#[tokio::test]
async fn steps_out_of_order_name_the_state_and_the_allowed_steps() {
    let bank = Bank::new().await;
    let (offered, _) = bank.application_at("OFFERED").await;
    let (received, _) = bank.application_at("DOCUMENTS_RECEIVED").await;
    let (pending, _) = bank.application_at("SANCTION_PENDING").await;

    let sanction_early = bank
        .post("sanction", json!({ "applicationNo": offered }))
        .await;
    let documents_early = bank
        .post("documents", json!({ "applicationNo": offered, "documentType": "PAN", "fileName": "p.pdf", "sha256": SHA }))
        .await;
    let disburse_early = bank
        .post("disbursement", json!({ "applicationNo": received, "dealerAccount": DEALER, "dealerIFSC": "ICIC0000004" }))
        .await;
    let reprice_late = bank
        .post(
            "eligibility",
            json!({ "applicationNo": received, "loanAmount": "100000.00", "tenureMonths": 12 }),
        )
        .await;
    let sanction_twice = bank
        .post("sanction", json!({ "applicationNo": pending }))
        .await;

    assert_failure(&sanction_early, "AL202");
    assert_eq!(sanction_early.json["currentState"], "OFFERED");
    assert_eq!(
        sanction_early.json["allowedNextSteps"],
        json!(["eligibility"])
    );
    assert!(sanction_early.json["message"]
        .as_str()
        .unwrap()
        .contains("is OFFERED"));
    assert_failure(&documents_early, "AL202");
    assert_failure(&disburse_early, "AL202");
    assert_eq!(disburse_early.json["currentState"], "DOCUMENTS_RECEIVED");
    assert_eq!(
        disburse_early.json["allowedNextSteps"],
        json!(["documents", "sanction"])
    );
    assert_failure(&reprice_late, "AL202");
    assert_failure(&sanction_twice, "AL202");
    assert_eq!(sanction_twice.json["currentState"], "SANCTION_PENDING");
    assert_eq!(sanction_twice.json["allowedNextSteps"], json!([]));
    assert!(sanction_twice.json["message"]
        .as_str()
        .unwrap()
        .contains("1 sandbox hour"));
}

#[tokio::test]
async fn documents_complete_with_kyc_and_a_bank_statement() {
    let bank = Bank::new().await;
    let (no, _) = bank.application_at("ELIGIBLE").await;
    let doc = |kind: &str, sha: &str| json!({ "applicationNo": no, "documentType": kind, "fileName": "file.pdf", "sha256": sha });

    let invoice = bank.post("documents", doc("PROFORMA_INVOICE", SHA)).await;
    let unreadable = bank
        .post("documents", doc("AADHAAR", &"0".repeat(64)))
        .await;
    let aadhaar = bank
        .post("documents", doc("AADHAAR", &SHA.to_uppercase()))
        .await;
    let statement = bank.post("documents", doc("BANK_STATEMENT", SHA)).await;
    let short = bank.post("documents", doc("PAN", "abc")).await;
    let not_hex = bank.post("documents", doc("PAN", &"g".repeat(64))).await;
    let bad_type = bank.post("documents", doc("SELFIE", SHA)).await;

    assert_success(&invoice);
    assert_eq!(invoice.json["data"]["documentId"], format!("{no}-D01"));
    assert_eq!(invoice.json["data"]["state"], "ELIGIBLE");
    assert_eq!(
        invoice.json["data"]["pendingDocuments"],
        json!(["KYC (PAN, AADHAAR or PASSPORT)", "BANK_STATEMENT"])
    );
    assert_failure(&unreadable, "AL301");
    assert_eq!(
        aadhaar.json["data"]["pendingDocuments"],
        json!(["BANK_STATEMENT"])
    );
    assert_eq!(statement.json["data"]["state"], "DOCUMENTS_RECEIVED");
    assert_eq!(statement.json["data"]["pendingDocuments"], json!([]));
    assert!(short.assert_envelope(400, 8017).contains("`sha256`"));
    assert!(not_hex.assert_envelope(400, 8017).contains("`sha256`"));
    assert!(bad_type
        .assert_envelope(400, 8017)
        .contains("`documentType`"));
    let status = bank.status(&no).await;
    assert_eq!(status["documents"].as_array().unwrap().len(), 3);
    assert_eq!(
        status["documents"][1]["sha256"], SHA,
        "stored in lower case"
    );
}

#[tokio::test]
async fn a_sanction_is_pending_for_one_sandbox_hour() {
    let bank = Bank::new().await;
    let (no, _) = bank.application_at("DOCUMENTS_RECEIVED").await;

    let sanction = bank.post("sanction", json!({ "applicationNo": no })).await;
    bank.advance("PT59M").await;
    let before = bank.status(&no).await;
    bank.advance("PT1M").await;
    let after = bank.status(&no).await;

    assert_success(&sanction);
    let data = &sanction.json["data"];
    assert!(data["sanctionLetterNo"].as_str().unwrap().starts_with("SL"));
    assert_eq!(data["state"], "SANCTION_PENDING");
    assert_eq!(data["sanctionDueAt"], "2026-04-01T11:00:00+05:30");
    assert_eq!(
        data["terms"],
        json!({ "loanAmount": "500000.00", "tenureMonths": 60, "roi": "8.75", "emi": "10318.62",
                "processingFee": "2500.00", "validUntil": "2026-05-01" })
    );
    assert_eq!(before["state"], "SANCTION_PENDING");
    assert_eq!(after["state"], "SANCTIONED");
    assert_eq!(after["allowedNextSteps"], json!(["disbursement"]));
    let history: Vec<&str> = after["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["state"].as_str().unwrap())
        .collect();
    assert_eq!(
        history,
        [
            "OFFERED",
            "ELIGIBLE",
            "DOCUMENTS_RECEIVED",
            "SANCTION_PENDING",
            "SANCTIONED"
        ]
    );
    assert_eq!(after["history"][4]["at"], "2026-04-01T11:00:00+05:30");
}

// ---- Disbursement and money ----------------------------------------------------------------

#[tokio::test]
async fn disbursement_credits_an_internal_dealer_from_the_pool_and_opens_the_loan() {
    let bank = Bank::new().await;
    let (no, _) = bank.application_at("SANCTIONED").await;
    let dealer_before = bank.balance(DEALER).unwrap();

    let answer = bank
        .post(
            "disbursement",
            json!({ "applicationNo": no, "dealerAccount": DEALER, "dealerIFSC": "ICIC0000004" }),
        )
        .await;

    assert_success(&answer);
    let data = &answer.json["data"];
    let loan = data["loanAccountNo"].as_str().unwrap();
    assert!(loan.starts_with("000466") && loan.len() == 12, "{loan}");
    assert_eq!(data["state"], "DISBURSED");
    assert_eq!(data["disbursedAmount"], "500000.00");
    assert_eq!(data["mode"], "INTERNAL");
    assert_eq!(data["emi"], "10318.62");
    assert_eq!(data["firstDueDate"], "2026-05-01");
    let utr = data["UTR"].as_str().unwrap();
    assert!(utr.starts_with("SBNKN") && utr.len() == 16, "{utr}");
    assert_eq!(
        bank.balance(DEALER).unwrap() - dealer_before,
        d("500000.00")
    );
    assert_eq!(
        bank.balance(POOL).unwrap(),
        d("1000000000") - d("500000.00")
    );
    assert_eq!(
        bank.balance(loan),
        Some(d("500000.00")),
        "principal outstanding"
    );
}

#[tokio::test]
async fn an_external_dealer_is_paid_out_of_the_bank() {
    let bank = Bank::new().await;
    let (no, _) = bank.application_at("SANCTIONED").await;

    let answer = bank
        .post("disbursement", json!({ "applicationNo": no, "dealerAccount": "000405009999", "dealerIFSC": "ICIC0000004" }))
        .await;

    assert_success(&answer);
    assert_eq!(answer.json["data"]["mode"], "NEFT");
    assert_eq!(
        bank.balance("000405009999"),
        None,
        "not an account of this bank"
    );
    assert_eq!(bank.balance(POOL).unwrap(), d("999500000.00"));
}

#[tokio::test]
async fn invalid_dealer_accounts_and_ifscs_are_refused_and_nothing_moves() {
    let bank = Bank::new().await;
    let (no, _) = bank.application_at("SANCTIONED").await;

    let invalid = bank
        .post("disbursement", json!({ "applicationNo": no, "dealerAccount": "123450000", "dealerIFSC": "ICIC0000004" }))
        .await;
    let unknown_bank = bank
        .post("disbursement", json!({ "applicationNo": no, "dealerAccount": "123456789", "dealerIFSC": "ZZZZ0000001" }))
        .await;
    let bad_ifsc = bank
        .post(
            "disbursement",
            json!({ "applicationNo": no, "dealerAccount": "123456789", "dealerIFSC": "ICIC1" }),
        )
        .await;

    assert_failure(&invalid, "AL401");
    assert_failure(&unknown_bank, "AL402");
    assert!(bad_ifsc.assert_envelope(400, 8017).contains("`dealerIFSC`"));
    assert_eq!(bank.balance(POOL), None, "the pool was never needed");
    assert_eq!(bank.status(&no).await["state"], "SANCTIONED");
}

#[tokio::test]
async fn a_disbursed_loan_turns_active_a_day_later_with_its_schedule() {
    let bank = Bank::new().await;
    let (no, loan) = bank.application_at("DISBURSED").await;
    let loan = loan.unwrap();

    let repay_early = bank
        .post("repayment", json!({ "loanAccountNo": loan, "debitAccount": DEMO_SAVINGS, "repaymentType": "EMI", "amount": "100.00" }))
        .await;
    let disbursed = bank.status(&no).await;
    bank.advance("P1D").await;
    let active = bank.post("status", json!({ "loanAccountNo": loan })).await;

    assert_failure(&repay_early, "AL202");
    assert_eq!(repay_early.json["currentState"], "DISBURSED");
    assert_eq!(disbursed["state"], "DISBURSED");
    assert_success(&active);
    let data = &active.json["data"];
    assert_eq!(data["state"], "ACTIVE");
    assert_eq!(data["applicationNo"], no.as_str());
    assert_eq!(data["allowedNextSteps"], json!(["repayment"]));
    assert_eq!(
        data["emiSchedule"],
        json!({
            "emi": "10318.62", "tenureMonths": 60, "instalmentsPaid": 0, "instalmentsRemaining": 60,
            "firstDueDate": "2026-05-01", "lastDueDate": "2031-04-01",
            "totalInterest": data["emiSchedule"]["totalInterest"].clone(),
            "totalPayable": data["emiSchedule"]["totalPayable"].clone(),
            "amountPaid": "0.00", "principalOutstanding": "500000.00"
        })
    );
    let schedule = data["amortisationSchedule"].as_array().unwrap();
    assert_eq!(schedule.len(), 60);
    assert_eq!(
        schedule[0],
        json!({ "instalmentNo": 1, "dueDate": "2026-05-01", "amount": "10318.62",
                "principal": "6672.79", "interest": "3645.83", "closingBalance": "493327.21",
                "amountPaid": "0.00", "status": "UPCOMING" })
    );
    assert_eq!(schedule[59]["closingBalance"], "0.00");
    let principal: Decimal = schedule
        .iter()
        .map(|l| d(l["principal"].as_str().unwrap()))
        .sum();
    assert_eq!(principal, d("500000.00"));
    let interest: Decimal = schedule
        .iter()
        .map(|l| d(l["interest"].as_str().unwrap()))
        .sum();
    assert_eq!(
        d(data["emiSchedule"]["totalInterest"].as_str().unwrap()),
        interest
    );
    assert_eq!(data["overdueAmount"], "0.00");
    assert_eq!(data["dpd"], 0);
    assert_eq!(data["nextDueDate"], "2026-05-01");
    assert_eq!(data["foreclosureAmount"], "500000.00");
}

// ---- Dues, repayment, closure ---------------------------------------------------------------

#[tokio::test]
async fn forty_days_without_payment_make_the_first_emi_overdue() {
    let bank = Bank::new().await;
    let (no, loan) = bank.application_at("DISBURSED").await;
    let loan = loan.unwrap();

    bank.advance("P40D").await;
    let overdue = bank.status(&no).await;
    let paid = bank
        .post("repayment", json!({ "loanAccountNo": loan, "debitAccount": DEMO_SAVINGS, "repaymentType": "EMI", "amount": "10318.62" }))
        .await;
    let after = bank.status(&no).await;

    assert_eq!(overdue["overdueAmount"], "10318.62");
    assert_eq!(overdue["dpd"], 10, "due 1 May, today 11 May");
    assert_eq!(overdue["nextDueDate"], "2026-06-01");
    assert_eq!(overdue["amortisationSchedule"][0]["status"], "OVERDUE");
    assert_eq!(
        overdue["foreclosureAmount"], "503645.83",
        "the overdue EMI plus the principal after it"
    );
    assert_success(&paid);
    assert_eq!(
        paid.json["data"]["principalRepaid"], "6672.79",
        "{:?}",
        paid.json
    );
    assert_eq!(paid.json["data"]["interestPaid"], "3645.83");
    assert_eq!(after["overdueAmount"], "0.00");
    assert_eq!(after["dpd"], 0);
    assert_eq!(after["amortisationSchedule"][0]["status"], "PAID");
    assert_eq!(after["emiSchedule"]["instalmentsPaid"], 1);
}

#[tokio::test]
async fn repayments_move_money_from_the_payer_to_the_pool() {
    let bank = Bank::new().await;
    let (no, loan) = bank.application_at("ACTIVE").await;
    let loan = loan.unwrap();
    let savings = bank.balance(DEMO_SAVINGS).unwrap();
    let pool = bank.balance(POOL).unwrap();

    let partial = bank
        .post("repayment", json!({ "loanAccountNo": loan, "debitAccount": DEMO_SAVINGS, "repaymentType": "EMI", "amount": "5000.00" }))
        .await;

    assert_success(&partial);
    let data = &partial.json["data"];
    assert_eq!(data["applicationNo"], no.as_str());
    assert_eq!(data["state"], "ACTIVE");
    assert_eq!(data["amountPaid"], "5000.00");
    assert_eq!(data["interestPaid"], "3645.83", "interest first");
    assert_eq!(data["principalRepaid"], "1354.17");
    assert_eq!(data["principalOutstanding"], "498645.83");
    assert!(data["transactionId"].as_str().unwrap().starts_with('S'));
    assert_eq!(savings - bank.balance(DEMO_SAVINGS).unwrap(), d("5000.00"));
    assert_eq!(bank.balance(POOL).unwrap() - pool, d("5000.00"));
    assert_eq!(bank.balance(&loan), Some(d("498645.83")));
    let status = bank.status(&no).await;
    assert_eq!(status["amortisationSchedule"][0]["status"], "PARTLY_PAID");
}

#[tokio::test]
async fn foreclosure_closes_the_loan_and_empties_the_memo() {
    let bank = Bank::new().await;
    let (no, loan) = bank.application_at("ACTIVE").await;
    let loan = loan.unwrap();
    let savings = bank.balance(DEMO_SAVINGS).unwrap();
    bank.post("repayment", json!({ "loanAccountNo": loan, "debitAccount": "000405000001", "repaymentType": "EMI", "amount": "10318.62" })).await;

    let closed = bank
        .post("repayment", json!({ "loanAccountNo": loan, "debitAccount": "000405000001", "repaymentType": "FORECLOSURE" }))
        .await;
    let again = bank
        .post("repayment", json!({ "loanAccountNo": loan, "debitAccount": "000405000001", "repaymentType": "EMI", "amount": "1.00" }))
        .await;

    assert_success(&closed);
    assert_eq!(closed.json["data"]["state"], "CLOSED");
    assert_eq!(closed.json["data"]["amountPaid"], "493327.21");
    assert_eq!(closed.json["data"]["interestPaid"], "0.00");
    assert_eq!(closed.json["data"]["principalOutstanding"], "0.00");
    assert_eq!(bank.balance(&loan), Some(Decimal::ZERO));
    assert_eq!(
        bank.balance(DEMO_SAVINGS).unwrap(),
        savings,
        "another account paid"
    );
    assert_eq!(
        bank.balance(POOL).unwrap(),
        d("1000000000") - d("500000") + d("10318.62") + d("493327.21")
    );
    assert_failure(&again, "AL202");
    assert_eq!(again.json["currentState"], "CLOSED");
    let status = bank.status(&no).await;
    assert_eq!(status["state"], "CLOSED");
    assert!(status.get("foreclosureAmount").is_none());
}

#[tokio::test]
async fn paying_every_instalment_closes_the_loan() {
    let bank = Bank::new().await;
    let (no, loan) = bank.application_at("ACTIVE").await;
    let loan = loan.unwrap();
    let status = bank.status(&no).await;
    let total: Decimal = status["amortisationSchedule"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| d(l["amount"].as_str().unwrap()))
        .sum();

    let above = bank
        .post("repayment", json!({ "loanAccountNo": loan, "debitAccount": "000405000001", "repaymentType": "EMI", "amount": (total + Decimal::ONE).to_string() }))
        .await;
    let all = bank
        .post("repayment", json!({ "loanAccountNo": loan, "debitAccount": "000405000001", "repaymentType": "EMI", "amount": total.to_string() }))
        .await;

    assert_failure(&above, "AL503");
    assert_success(&all);
    assert_eq!(all.json["data"]["state"], "CLOSED");
    assert_eq!(all.json["data"]["principalRepaid"], "500000.00");
    assert_eq!(bank.balance(&loan), Some(Decimal::ZERO));
}

#[tokio::test]
async fn repayment_failures_and_magic_amounts() {
    let bank = Bank::new().await;
    let (_, loan) = bank.application_at("ACTIVE").await;
    let loan = loan.unwrap();
    let pay = |account: &str, amount: Value| json!({ "loanAccountNo": loan, "debitAccount": account, "repaymentType": "EMI", "amount": amount });
    let savings = bank.balance(DEMO_SAVINGS).unwrap();

    let magic_51 = bank
        .post("repayment", pay(DEMO_SAVINGS, json!("100.51")))
        .await;
    let magic_96 = bank
        .post("repayment", pay(DEMO_SAVINGS, json!("100.96")))
        .await;
    // 000401000005 holds ₹63,750.
    let poor = bank
        .post("repayment", pay("000401000005", json!("70000.00")))
        .await;
    let outside = bank
        .post("repayment", pay("000405009999", json!("100.00")))
        .await;
    let missing = bank
        .post(
            "repayment",
            json!({ "loanAccountNo": loan, "debitAccount": DEMO_SAVINGS, "repaymentType": "EMI" }),
        )
        .await;
    let unknown = bank.post("repayment", json!({ "loanAccountNo": "000466999999", "debitAccount": DEMO_SAVINGS, "repaymentType": "FORECLOSURE" })).await;

    assert_failure(&magic_51, "AL501");
    magic_96.assert_envelope(504, 8013);
    assert_failure(&poor, "AL501");
    assert_failure(&outside, "AL502");
    assert!(missing.assert_envelope(400, 8017).contains("`amount`"));
    assert_failure(&unknown, "AL201");
    assert_eq!(
        bank.balance(DEMO_SAVINGS).unwrap(),
        savings,
        "nothing moved"
    );
    assert_eq!(bank.balance(&loan), Some(d("500000.00")));
}

// ---- Status ---------------------------------------------------------------------------------

#[tokio::test]
async fn status_needs_exactly_one_key_and_unknown_ids_are_not_found() {
    let bank = Bank::new().await;
    let (no, _) = bank.application_at("OFFERED").await;

    let both = bank
        .post(
            "status",
            json!({ "applicationNo": no, "loanAccountNo": "000466000001" }),
        )
        .await;
    let neither = bank.post("status", json!({})).await;
    let unknown = bank
        .post("status", json!({ "applicationNo": "ALN0000000000" }))
        .await;
    let offered = bank.status(&no).await;

    both.assert_envelope(400, 8017);
    neither.assert_envelope(400, 8017);
    assert_failure(&unknown, "AL201");
    assert_eq!(offered["state"], "OFFERED");
    assert_eq!(offered["allowedNextSteps"], json!(["eligibility"]));
    assert_eq!(offered["amortisationSchedule"], json!([]));
    assert_eq!(offered["overdueAmount"], "0.00");
    assert!(offered.get("loanAccountNo").is_none());
}

#[tokio::test]
async fn another_sandbox_does_not_see_the_application() {
    let bank = Bank::new().await;
    let other = Bank::new().await;
    let (no, _) = bank.application_at("OFFERED").await;

    let answer = other.post("status", json!({ "applicationNo": no })).await;

    assert_failure(&answer, "AL201");
}

#[tokio::test]
async fn an_application_keeps_at_most_twenty_documents() {
    let bank = Bank::new().await;
    let (no, _) = bank.application_at("ELIGIBLE").await;
    let doc = json!({ "applicationNo": no, "documentType": "SALARY_SLIP", "fileName": "slip.pdf", "sha256": SHA });

    for _ in 0..20 {
        assert_success(&bank.post("documents", doc.clone()).await);
    }
    let extra = bank.post("documents", doc).await;

    assert_failure(&extra, "AL302");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_disbursements_pay_the_dealer_once() {
    let bank = Arc::new(Bank::new().await);
    let (no, _) = bank.application_at("SANCTIONED").await;
    let dealer_before = bank.balance(DEALER).unwrap();

    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let bank = bank.clone();
            let no = no.clone();
            tokio::spawn(async move {
                bank.post(
                    "disbursement",
                    json!({ "applicationNo": no, "dealerAccount": DEALER, "dealerIFSC": "ICIC0000004" }),
                )
                .await
            })
        })
        .collect();
    let mut codes = Vec::new();
    for task in tasks {
        codes.push(task.await.unwrap().json["responseCode"].clone());
    }

    assert_eq!(
        codes.iter().filter(|c| *c == "AL000").count(),
        1,
        "{codes:?}"
    );
    assert_eq!(
        codes.iter().filter(|c| *c == "AL202").count(),
        7,
        "{codes:?}"
    );
    assert_eq!(
        bank.balance(DEALER).unwrap() - dealer_before,
        d("500000.00")
    );
    assert_eq!(bank.balance(POOL).unwrap(), d("999500000.00"));
}

#[tokio::test]
async fn eligible_applications_can_be_repriced_and_documents_keep_coming() {
    let bank = Bank::new().await;
    let (no, _) = bank.application_at("ELIGIBLE").await;

    let sanction_early = bank.post("sanction", json!({ "applicationNo": no })).await;
    let repriced = bank
        .post(
            "eligibility",
            json!({ "applicationNo": no, "loanAmount": "100000.00", "tenureMonths": 12 }),
        )
        .await;
    let doc = |kind: &str| json!({ "applicationNo": no, "documentType": kind, "fileName": "f.pdf", "sha256": SHA });
    bank.post("documents", doc("PASSPORT")).await;
    bank.post("documents", doc("BANK_STATEMENT")).await;
    let more = bank.post("documents", doc("ITR")).await;
    let sanction = bank.post("sanction", json!({ "applicationNo": no })).await;

    assert_failure(&sanction_early, "AL202");
    assert_eq!(sanction_early.json["currentState"], "ELIGIBLE");
    assert_eq!(
        sanction_early.json["allowedNextSteps"],
        json!(["eligibility", "documents"])
    );
    assert_success(&repriced);
    assert_eq!(repriced.json["data"]["state"], "ELIGIBLE");
    // ₹1,00,000 at 8.75% for 12 months; the fee is at least ₹2,000.
    assert_eq!(repriced.json["data"]["emi"], "8733.56");
    assert_eq!(repriced.json["data"]["processingFee"], "2000.00");
    assert_success(&more);
    assert_eq!(more.json["data"]["state"], "DOCUMENTS_RECEIVED");
    assert_eq!(
        sanction.json["data"]["terms"]["loanAmount"], "100000.00",
        "the sanction is on the latest terms"
    );
}

#[tokio::test]
async fn the_banks_own_books_cannot_pay_or_be_paid() {
    let bank = Bank::new().await;
    let (_, loan) = bank.application_at("ACTIVE").await;
    let loan = loan.unwrap();
    let (sanctioned, _) = bank.application_at("SANCTIONED").await;

    let from_memo = bank
        .post("repayment", json!({ "loanAccountNo": loan, "debitAccount": loan, "repaymentType": "EMI", "amount": "100.00" }))
        .await;
    let from_pool = bank
        .post("repayment", json!({ "loanAccountNo": loan, "debitAccount": POOL, "repaymentType": "EMI", "amount": "100.00" }))
        .await;
    let to_memo = bank
        .post("disbursement", json!({ "applicationNo": sanctioned, "dealerAccount": loan, "dealerIFSC": "ICIC0000004" }))
        .await;

    assert_failure(&from_memo, "AL502");
    assert_failure(&from_pool, "AL502");
    assert_failure(&to_memo, "AL401");
    assert_eq!(bank.balance(&loan), Some(d("500000.00")));
}
