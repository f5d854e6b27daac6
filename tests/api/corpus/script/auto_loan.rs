//! Auto Loan: one application from OTP to closure — offer, eligibility, documents, the sanction pending
//! for a sandbox hour, disbursement, the loan turning active, overdue, repayment and foreclosure — with
//! the steps out of order, the weak bureau reports, and the magic values on the way.

use serde_json::{json, Value};

use super::super::recorder::Recorder;

const DEMO_PAN: &str = "ABCPE1234F";
const DEMO_MOBILE: &str = "9800000001";
const SAVINGS: &str = "000401000001";
const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

fn path(op: &str) -> String {
    format!("/api/v1/auto-loan/{op}")
}

fn offer(pan: &str, vehicle: &str, price: &str, dealer: &str) -> Value {
    json!({
        "pan": pan, "mobile": DEMO_MOBILE, "vehicleType": vehicle, "onRoadPrice": price,
        "dealerCode": dealer
    })
}

/// The application's number plus `extra`.
fn app(no: &str, extra: Value) -> Value {
    let mut body = json!({ "applicationNo": no });
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    body
}

/// Returns the demo person's application number.
pub async fn chain(rec: &mut Recorder) -> String {
    otp(rec).await;
    let no = offers(rec).await;
    to_sanction(rec, &no).await;
    let loan = disbursement(rec, &no).await;
    repayments(rec, &loan).await;
    statuses(rec, &no, &loan).await;
    no
}

async fn otp(rec: &mut Recorder) {
    let body = json!({ "mobile": DEMO_MOBILE });
    let sent = rec.post("send the OTP", &path("otp"), body).await;
    let reference = sent.field("/data/otpReference");
    let verify = |otp: &str, reference: &str| json!({ "otpReference": reference, "otp": otp });
    for (body, why) in [
        (verify("111111", &reference), "a wrong OTP"),
        (verify("123456", "OTP9999999999"), "an unknown reference"),
        (verify("12345", &reference), "a five-digit OTP"),
        (verify("123456", &reference), "the sandbox OTP"),
    ] {
        let note = format!("verify: {why}");
        rec.post(&note, &path("otp/verify"), body).await;
    }
}

/// The offer the chain follows, then the offers refused; returns its application number.
async fn offers(rec: &mut Recorder) -> String {
    let new_car = offer(DEMO_PAN, "NEW", "800000.00", "DLR1001");
    let offered = rec
        .post("an offer for a new car", &path("offer"), new_car)
        .await;
    let cases = [
        (
            "USED",
            "300000.00",
            "DLR1001",
            DEMO_PAN,
            "a used car, limited by value",
        ),
        (
            "NEW",
            "800000.00",
            "DLR0000",
            DEMO_PAN,
            "dealer code ending 0000",
        ),
        ("NEW", "800000.96", "DLR1001", DEMO_PAN, "price ending .96"),
        (
            "SCOOTER",
            "800000.00",
            "DLR1001",
            DEMO_PAN,
            "an unknown vehicle type",
        ),
        (
            "NEW",
            "800000.00",
            "DLR1001",
            "UJGPK3526L",
            "a score below the cut-off",
        ),
        (
            "NEW",
            "800000.00",
            "DLR1001",
            "VTRPD8029Q",
            "no credit history",
        ),
        ("NEW", "800000.00", "DLR1001", "ABCPE0000F", "PAN not found"),
        (
            "NEW",
            "800000.00",
            "DLR1001",
            "ABCPE9999F",
            "PAN deactivated",
        ),
        (
            "NEW",
            "800000.00",
            "DLR1001",
            "RXXPM8735X",
            "severe delinquency",
        ),
        (
            "NEW",
            "800000.00",
            "DLR1001",
            "STWPJ0978A",
            "income already committed",
        ),
    ];
    for (vehicle, price, dealer, pan, why) in cases {
        let note = format!("offer: {why}");
        rec.post(&note, &path("offer"), offer(pan, vehicle, price, dealer))
            .await;
    }
    let mut unverified = offer(DEMO_PAN, "NEW", "800000.00", "DLR1001");
    unverified["mobile"] = json!("9800000002");
    rec.post("offer: a mobile never verified", &path("offer"), unverified)
        .await;
    offered.field("/data/applicationNo")
}

/// Eligibility and documents, every step out of order on the way, the sanction.
async fn to_sanction(rec: &mut Recorder, no: &str) {
    let terms = |amount: &str, months: u32| {
        app(no, json!({ "loanAmount": amount, "tenureMonths": months }))
    };
    let document = |kind: &str, sha: &str| {
        app(
            no,
            json!({ "documentType": kind, "fileName": "doc.pdf", "sha256": sha }),
        )
    };
    let dealer = app(
        no,
        json!({ "dealerAccount": "000405000002", "dealerIFSC": "ICIC0000004" }),
    );
    let unreadable = "0".repeat(64);
    let steps = [
        (
            "sanction",
            app(no, json!({})),
            "sanction before eligibility: out of order",
        ),
        (
            "eligibility",
            terms("900000.00", 60),
            "terms beyond the offer",
        ),
        (
            "eligibility",
            terms("500000.00", 96),
            "a tenure beyond the offer",
        ),
        ("eligibility", terms("500000.00", 60), "the chosen terms"),
        ("documents", document("PAN", SHA), "the PAN card"),
        (
            "documents",
            document("AADHAAR", &unreadable),
            "an unreadable document",
        ),
        (
            "documents",
            document("SELFIE", SHA),
            "an unknown document type",
        ),
        ("documents", document("PAN", "abc"), "a short hash"),
        (
            "sanction",
            app(no, json!({})),
            "sanction without a bank statement",
        ),
        (
            "documents",
            document("BANK_STATEMENT", SHA),
            "the bank statement",
        ),
        ("disbursement", dealer, "disburse before the sanction"),
        ("sanction", app(no, json!({})), "the sanction"),
        ("status", app(no, json!({})), "pending for a sandbox hour"),
    ];
    for (op, body, why) in steps {
        rec.post(&format!("auto loan: {why}"), &path(op), body)
            .await;
    }
}

/// The sanction comes through, the dealer is paid, the loan turns active; returns its account.
async fn disbursement(rec: &mut Recorder, no: &str) -> String {
    rec.advance("PT1H", "the sanction comes through").await;
    let to = |account: &str, ifsc: &str| {
        app(no, json!({ "dealerAccount": account, "dealerIFSC": ifsc }))
    };
    for (body, why) in [
        (
            to("123450000", "ICIC0000004"),
            "a dealer account ending 0000",
        ),
        (to("123456789", "ZZZZ0000001"), "an unknown bank"),
    ] {
        let note = format!("disbursement: {why}");
        rec.post(&note, &path("disbursement"), body).await;
    }
    let dealer = to("000405000002", "ICIC0000004");
    let disbursed = rec
        .post(
            "disbursement to the dealer",
            &path("disbursement"),
            dealer.clone(),
        )
        .await;
    rec.post("disbursement: a second time", &path("disbursement"), dealer)
        .await;
    rec.advance("P1D", "the loan turns active").await;
    let loan = disbursed.field("/data/loanAccountNo");
    let status = json!({ "loanAccountNo": loan });
    rec.post("status: active, with its schedule", &path("status"), status)
        .await;
    loan
}

async fn repayments(rec: &mut Recorder, loan: &str) {
    let pay = |account: &str, kind: &str, amount: Option<&str>| {
        let mut body =
            json!({ "loanAccountNo": loan, "debitAccount": account, "repaymentType": kind });
        if let Some(amount) = amount {
            body["amount"] = json!(amount);
        }
        body
    };
    let unknown = json!({
        "loanAccountNo": "000466999999", "debitAccount": SAVINGS, "repaymentType": "FORECLOSURE"
    });
    let repayment = path("repayment");
    for (body, why) in [
        (pay(SAVINGS, "EMI", Some("100.51")), "amount .51"),
        (pay(SAVINGS, "EMI", Some("100.96")), "amount .96"),
        (
            pay("000401000005", "EMI", Some("70000.00")),
            "beyond the payer's balance",
        ),
        (
            pay("000405009999", "EMI", Some("100.00")),
            "from outside the bank",
        ),
        (pay(SAVINGS, "EMI", None), "no amount"),
        (unknown, "an unknown loan"),
        (pay(SAVINGS, "EMI", Some("10318.62")), "the first EMI"),
    ] {
        rec.post(&format!("repayment: {why}"), &repayment, body)
            .await;
    }
    rec.advance("P40D", "the second EMI falls due unpaid").await;
    let status = json!({ "loanAccountNo": loan });
    rec.post("status: overdue", &path("status"), status.clone())
        .await;
    for (body, why) in [
        (
            pay(SAVINGS, "FORECLOSURE", None),
            "foreclosure beyond the savings",
        ),
        (
            pay("000405000001", "FORECLOSURE", None),
            "foreclosure from the current account",
        ),
    ] {
        rec.post(&format!("repayment: {why}"), &repayment, body)
            .await;
    }
    rec.post("status: closed", &path("status"), status).await;
    let late = pay(SAVINGS, "EMI", Some("100.00"));
    rec.post("repayment: a closed loan", &repayment, late).await;
}

async fn statuses(rec: &mut Recorder, no: &str, loan: &str) {
    for (body, why) in [
        (
            json!({ "applicationNo": no, "loanAccountNo": loan }),
            "both keys",
        ),
        (json!({}), "no key"),
        (
            json!({ "applicationNo": "ALN0000000000" }),
            "an unknown application",
        ),
    ] {
        rec.post(&format!("status: {why}"), &path("status"), body)
            .await;
    }
}
