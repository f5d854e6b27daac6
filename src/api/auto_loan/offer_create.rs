//! `POST /api/v1/auto-loan/offer` [sandbank]: the bank's offer for a vehicle, from the applicant's bureau
//! report. Opens an application (`OFFERED`, or `REJECTED` with reasons).
//!
//! The rules, documented so partners can aim at each outcome:
//! - declined (`REJECTED`, `AL203`): PAN not in the ITD database (`PAN_NOT_FOUND`), deactivated
//!   (`PAN_DEACTIVATED`), no credit history (`NO_CREDIT_HISTORY`), score below 650
//!   (`BUREAU_SCORE_BELOW_CUTOFF`), any account 90+ days past due (`SEVERE_DELINQUENCY`), or no room
//!   for an EMI of at least ₹50,000's loan in half the monthly income after existing obligations
//!   (`FOIR_EXCEEDED`) — the same cut-off, obligations and score premium as Building Blocks'
//!   eligibility check;
//! - the offer is the least of: the on-road price × the loan-to-value ratio (NEW 90%, USED 80%, less
//!   10 points for a score of 700–749 and 20 points for 650–699), the principal half the income
//!   (less existing EMIs) repays over the maximum tenure, and ₹1.5 crore; rounded down to ₹1,000;
//! - the rate is 8.75% + the score premium (0 / 1.25 / 2.50) + 1.50 for a used vehicle; the maximum
//!   tenure is 84 months for NEW, 60 for USED.

use crate::api::sample;
use poem_openapi::Object;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::sandbox::{
    bank::{
        answer::{Answer, Reply},
        formats::{Amount, CapsCode, Mobile, Money, Pan, Percent},
        lending::{self, Envelope},
        magic::{magic_amount, MagicAmount},
        persons::{self, PanStatus, Profile},
        store::Full,
    },
    gateway::{apps::App, error::Rejection},
    Sandbox,
};

use super::{
    codes,
    model::{verification_validity, Application, Decline, Outcome, Stage, VehicleType},
    state::AutoLoanBook,
};

#[derive(Object, Deserialize, Debug)]
#[oai(rename = "AutoLoanOfferRequest")]
#[oai(example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct OfferRequest {
    /// The applicant's PAN: their bureau report decides the offer.
    pub pan: Pan,
    /// Must have passed `/otp/verify` in the last 30 sandbox minutes.
    pub mobile: Mobile,
    pub vehicle_type: VehicleType,
    /// Ex-showroom price plus registration and insurance, INR. Ending `.96`: backend timeout (504).
    pub on_road_price: Amount,
    /// The dealer's code, 4–12 capital letters or digits. Ending `0000`: not empanelled (`AL204`).
    pub dealer_code: CapsCode<4, 12>,
}

impl poem_openapi::types::Example for OfferRequest {
    fn example() -> Self {
        Self {
            pan: sample("ABCPE1234F"),
            mobile: sample("9800000001"),
            vehicle_type: VehicleType::New,
            on_road_price: sample("800000.00"),
            dealer_code: sample("DLR1001"),
        }
    }
}

#[derive(Object, Debug)]
#[oai(rename = "AutoLoanOfferData")]
#[oai(rename_all = "camelCase")]
pub struct OfferData {
    /// The application's number: every later step names it.
    pub application_no: String,
    pub state: Stage,
    /// The most the bank lends ("0.00" when rejected).
    pub offer_amount: Money,
    /// 84 for NEW, 60 for USED (0 when rejected).
    pub max_tenure_months: u32,
    /// Annual rate, percent ("0.00" when rejected).
    pub roi: Percent,
    /// The CIBIL score the offer was made on (-1: no history).
    pub bureau_score: i32,
    /// Why the applicant was declined, or what limited the offer: `PAN_NOT_FOUND`,
    /// `PAN_DEACTIVATED`, `NO_CREDIT_HISTORY`, `BUREAU_SCORE_BELOW_CUTOFF`, `SEVERE_DELINQUENCY`,
    /// `FOIR_EXCEEDED`, `LTV_REDUCED_FOR_SCORE`, `LIMITED_BY_INCOME`.
    pub reasons: Vec<String>,
}

enveloped_answer!(
    OfferResponse,
    schema "AutoLoanOfferResponse",
    Outcome,
    data OfferData,
    "The offer, or a decline: `AL203` (with the application and its reasons), `AL103`, `AL204`."
);

/// The bank's evaluation of an applicant for a vehicle.
struct Evaluation {
    offer_amount: Decimal,
    max_tenure_months: u32,
    roi: Decimal,
    reasons: Vec<String>,
}

fn rejected(reason: &str) -> Evaluation {
    Evaluation {
        offer_amount: Decimal::ZERO,
        max_tenure_months: 0,
        roi: Decimal::ZERO,
        reasons: vec![reason.to_string()],
    }
}

fn evaluate(holder: &Profile, request: &OfferRequest) -> Evaluation {
    let score = holder.cibil_score;
    match holder.pan_status {
        PanStatus::NotFound => return rejected("PAN_NOT_FOUND"),
        PanStatus::Deactivated => return rejected("PAN_DEACTIVATED"),
        PanStatus::Valid => {}
    }
    if score < 0 {
        return rejected("NO_CREDIT_HISTORY");
    }
    if score < lending::AUTO_LOAN_CUTOFF {
        return rejected("BUREAU_SCORE_BELOW_CUTOFF");
    }
    if holder.credit_accounts.iter().any(|a| a.dpd >= 90) {
        return rejected("SEVERE_DELINQUENCY");
    }
    let used = request.vehicle_type == VehicleType::Used;
    let mut reasons = Vec::new();
    let base_ltv = if used { 80 } else { 90 };
    let ltv_cut = match score {
        750.. => 0,
        700..=749 => 10,
        _ => 20,
    };
    if ltv_cut > 0 {
        reasons.push("LTV_REDUCED_FOR_SCORE".to_string());
    }
    let roi = lending::auto_loan_base_roi()
        + lending::score_premium(score)
        + if used {
            Decimal::new(150, 2)
        } else {
            Decimal::ZERO
        };
    let max_tenure_months = if used { 60 } else { 84 };
    let by_value =
        request.on_road_price.value() * Decimal::from(base_ltv - ltv_cut) / Decimal::ONE_HUNDRED;
    let affordable_emi = holder.monthly_income / Decimal::TWO
        - lending::monthly_obligations(&holder.credit_accounts);
    let by_income = if affordable_emi > Decimal::ZERO {
        lending::principal_for_emi(affordable_emi, roi, max_tenure_months)
    } else {
        Decimal::ZERO
    };
    if by_income < by_value {
        reasons.push("LIMITED_BY_INCOME".to_string());
    }
    let offer = by_value.min(by_income).min(Decimal::from(15_000_000));
    let offer = (offer / Decimal::ONE_THOUSAND).floor() * Decimal::ONE_THOUSAND;
    if offer < Decimal::from(50_000) {
        return rejected("FOIR_EXCEEDED");
    }
    Evaluation {
        offer_amount: offer,
        max_tenure_months,
        roi,
        reasons,
    }
}

pub fn answer(
    sandbox: &Sandbox,
    app: &std::sync::Arc<App>,
    request: OfferRequest,
) -> Reply<OfferResponse> {
    if magic_amount(request.on_road_price.value()) == Some(MagicAmount::Timeout) {
        return Err(Rejection::backend_timeout());
    }
    let holder = persons::profile(&sandbox.fixtures, &sandbox.determinism, &request.pan);
    let result = sandbox.family(app, AutoLoanBook::new, |book, ctx| {
        book.room_for_application(ctx)?;
        let mut offer = || {
            let verified = book
                .verified
                .get(&request.mobile.to_string())
                .is_some_and(|v| ctx.now - v.0 <= verification_validity());
            if !verified {
                return Err(Decline::new(
                    codes::OTP_NOT_VERIFIED,
                    format!(
                        "Mobile {} has not passed OTP verification in the last 30 minutes: call /otp and /otp/verify first",
                        request.mobile
                    ),
                ));
            }
            if request.dealer_code.ends_with("0000") {
                return Err(Decline::new(
                    codes::DEALER_NOT_EMPANELLED,
                    format!("Dealer {} is not empanelled with the bank", request.dealer_code),
                ));
            }
            let evaluation = evaluate(&holder, &request);
            let no = new_application_no(sandbox, &app.id, book);
            let stage = if evaluation.offer_amount.is_zero() {
                Stage::Rejected
            } else {
                Stage::Offered
            };
            book.applications.insert(
                no.clone(),
                Application {
                    no: no.clone(),
                    pan: request.pan.clone(),
                    applicant: holder.full_name(),
                    mobile: request.mobile.clone(),
                    vehicle_type: request.vehicle_type,
                    on_road_price: request.on_road_price.value(),
                    dealer_code: request.dealer_code.to_string(),
                    cibil_score: holder.cibil_score,
                    offer_amount: evaluation.offer_amount,
                    max_tenure_months: evaluation.max_tenure_months,
                    roi: evaluation.roi,
                    reasons: evaluation.reasons.clone(),
                    stage,
                    terms: None,
                    documents: Vec::new(),
                    sanction: None,
                    loan: None,
                    history: vec![(stage, ctx.now)],
                },
            ).expect("room was made at the start of the transaction");
            Ok(OfferData {
                application_no: no,
                state: stage,
                offer_amount: evaluation.offer_amount.into(),
                max_tenure_months: evaluation.max_tenure_months,
                roi: evaluation.roi.into(),
                bureau_score: holder.cibil_score,
                reasons: evaluation.reasons,
            })
        };
        Ok::<_, Full>(offer())
    })?;
    Ok(Answer(respond(result)))
}

/// A fresh application number (`ALN` + 10 digits), stable for the app and its sequence.
fn new_application_no(sandbox: &Sandbox, app_id: &str, book: &mut AutoLoanBook) -> String {
    loop {
        let seq = book.next_seq();
        let no = sandbox
            .determinism
            .app_code("ALN", "auto-loan-application", app_id, seq, 10);
        if !book.applications.contains(&no) {
            return no;
        }
    }
}

/// The envelope for an offer made, declined (`AL203`, with the application) or refused.
fn respond(result: Result<OfferData, Decline>) -> OfferResponse {
    match result {
        Ok(data) if data.state == Stage::Rejected => OfferResponse {
            outcome: Outcome::failure(Decline::new(
                codes::REJECTED,
                format!(
                    "Application {} declined: {}",
                    data.application_no,
                    data.reasons.join(", ")
                ),
            )),
            data: Some(data),
        },
        Ok(data) => OfferResponse {
            outcome: Outcome::success(format!(
                "Offer made: up to {} over up to {} months",
                data.offer_amount.value(),
                data.max_tenure_months
            )),
            data: Some(data),
        },
        Err(decline) => OfferResponse {
            outcome: Outcome::failure(decline),
            data: None,
        },
    }
}
