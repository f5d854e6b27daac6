//! `POST /api/v1/trade/bank-guarantee/issuance` [sandbank]: issue an electronic bank guarantee on the
//! applicant's behalf in favour of a beneficiary → BG number. Idempotent on `requestRefNo`.

use crate::api::sample;
use std::sync::Arc;

use chrono::NaiveDate;
use poem_openapi::{Enum, Object};
use rust_decimal::Decimal;
use serde::Deserialize;

use super::{
    codes::Code,
    guarantee_verify::{magic_answer, reply, GuaranteeDetails, GuaranteeResponse},
    model::{market, Guarantee},
    state::TradeState,
};
use crate::sandbox::{
    bank::{
        answer::Reply,
        clock::ist,
        formats::{
            AccountNo, Amount, ClaimPeriodDays, CurrencyCode, HolderName, SwiftReference, SwiftText,
        },
        store::Full,
    },
    gateway::{apps::App, error::Rejection},
    Sandbox,
};

/// What the guarantee secures.
#[derive(Enum, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "SCREAMING_SNAKE_CASE")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum GuaranteeType {
    Financial,
    Performance,
    BidBond,
    AdvancePayment,
}

impl GuaranteeType {
    fn code(self) -> &'static str {
        match self {
            Self::Financial => "FINANCIAL",
            Self::Performance => "PERFORMANCE",
            Self::BidBond => "BID_BOND",
            Self::AdvancePayment => "ADVANCE_PAYMENT",
        }
    }
}

/// The guarantee to issue.
#[derive(Object, Deserialize, Debug)]
#[oai(example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct GuaranteeIssuanceRequest {
    /// The client's unique reference (1–35 letters, digits, `-/.`): the BG number derives from it;
    /// repeating it with the same details answers the same guarantee, with others `BG007`.
    pub request_ref_no: SwiftReference,
    pub guarantee_type: GuaranteeType,
    /// The applicant's account with this bank (its holder is the applicant). Unknown: `BG002`.
    pub applicant_account_no: AccountNo,
    pub beneficiary_name: HolderName,
    pub beneficiary_address: SwiftText,
    /// `INR`, or one of the remittance currencies (`USD EUR GBP AED SGD JPY`). Others: `BG008`.
    pub currency: CurrencyCode,
    /// In `currency`. Paise `.13` → `BG009`, `.96` → 504/8013.
    pub amount: Amount,
    /// The last day in force (`yyyy-mm-dd`), after today by the app's sandbox clock (`BG003`).
    pub expiry_date: NaiveDate,
    /// Days after expiry during which the beneficiary can still claim, 0–365.
    pub claim_period_days: ClaimPeriodDays,
}

impl poem_openapi::types::Example for GuaranteeIssuanceRequest {
    fn example() -> Self {
        Self {
            request_ref_no: sample("BGREQ20260401001"),
            guarantee_type: GuaranteeType::Performance,
            applicant_account_no: sample("000405000001"),
            beneficiary_name: sample("National Highways Authority of India"),
            beneficiary_address: sample("G-5 and 6, Sector 10, Dwarka, New Delhi 110075"),
            currency: sample("INR"),
            amount: sample("2500000.00"),
            expiry_date: sample("2099-03-31"),
            claim_period_days: sample(30),
        }
    }
}

/// `INR` or a remittance currency, with its minor units.
pub fn minor_units(currency: &str) -> Option<u32> {
    if currency == "INR" {
        return Some(2);
    }
    market::currency(currency).map(|c| c.minor_units)
}

/// `amount` in no smaller units than `currency` has (JPY in whole yen): a 400 naming `field` if not.
pub fn whole_units(field: &str, currency: &str, amount: Decimal) -> Result<(), Rejection> {
    let units = minor_units(currency).unwrap_or(2);
    if amount.round_dp(units) == amount {
        return Ok(());
    }
    Err(Rejection::schema(
        field,
        format!("{currency} has no minor units: send whole units"),
    ))
}

pub fn answer(
    sandbox: &Sandbox,
    app: &Arc<App>,
    request: GuaranteeIssuanceRequest,
) -> Reply<GuaranteeResponse> {
    let amount = request.amount.value();
    if let Some(early) = magic_answer(amount) {
        return early;
    }
    if minor_units(request.currency.as_str()).is_none() {
        return Ok(reply(Code::BgCurrencyNotSupported, None));
    }
    whole_units("amount", request.currency.as_str(), amount)?;
    let bg_number =
        sandbox
            .determinism
            .app_code("BG0004", "bg-number", &app.id, &request.request_ref_no, 10);
    let fingerprint = format!("{request:?}");
    let outcome = sandbox.family(app, TradeState::new, |state, ctx| -> Result<_, Full> {
        let today = ctx.now.with_timezone(&ist()).date_naive();
        if let Some(existing) = state.guarantees.get(&bg_number) {
            return Ok(if existing.fingerprint == fingerprint {
                Ok(GuaranteeDetails::of(existing, today))
            } else {
                Err(Code::BgDuplicateReference)
            });
        }
        if state.guarantees.is_archived(&bg_number) {
            // Invoked and archived: only its number is kept, so a replay cannot be told apart.
            return Ok(Err(Code::BgDuplicateReference));
        }
        let Some(applicant) = ctx.ledger.account(request.applicant_account_no.as_str()) else {
            return Ok(Err(Code::BgApplicantNotFound));
        };
        if request.expiry_date <= today {
            return Ok(Err(Code::BgExpiryNotInFuture));
        }
        let guarantee = Guarantee {
            fingerprint: fingerprint.clone(),
            bg_number: bg_number.clone(),
            request_ref: request.request_ref_no.to_string(),
            guarantee_type: request.guarantee_type.code().into(),
            applicant_account: request.applicant_account_no.to_string(),
            applicant_name: applicant.holder.clone(),
            beneficiary_name: request.beneficiary_name.to_string(),
            beneficiary_address: request.beneficiary_address.to_string(),
            currency: request.currency.to_string(),
            amount,
            issue_date: today,
            expiry_date: request.expiry_date,
            claim_period_days: request.claim_period_days.get(),
            amendments: Vec::new(),
            invocation: None,
        };
        let details = GuaranteeDetails::of(&guarantee, today);
        state.guarantees.insert(bg_number.clone(), guarantee)?;
        Ok(Ok(details))
    })?;
    Ok(match outcome {
        Ok(details) => reply(Code::BgSuccess, Some(details)),
        Err(code) => reply(code, None),
    })
}
