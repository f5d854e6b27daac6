//! `POST /api/v1/bureau-check` [sandbank]: a CIBIL report — score, accounts and recent enquiries.

use crate::api::sample;
use chrono::{Duration, NaiveDate};
use poem_openapi::Object;
use serde::Deserialize;

use crate::sandbox::{
    bank::{
        answer::{Answer, Answered},
        formats::{HolderName, Mobile, Pan},
        persons,
    },
    gateway::apps::App,
    Sandbox,
};

use super::{
    codes,
    model::{BureauAccount, BureauEnquiry, Consent},
};

/// The applicant and their consent to pull the report.
#[derive(Object, Deserialize, Debug)]
#[oai(example)]
#[serde(rename_all = "camelCase")]
#[oai(rename_all = "camelCase")]
pub struct BureauCheckRequest {
    /// The applicant's PAN. Digits `0000`: no credit history (score -1).
    pub pan: Pan,
    /// The applicant's name as on the PAN.
    pub name: HolderName,
    /// Date of birth, `yyyy-mm-dd`.
    pub date_of_birth: NaiveDate,
    #[allow(missing_docs)] // Swagger text by design: specs/ publishes this field without one.
    pub mobile: Mobile,
    #[allow(missing_docs)] // Swagger text by design: specs/ publishes this field without one.
    pub consent: Consent,
}

impl poem_openapi::types::Example for BureauCheckRequest {
    fn example() -> Self {
        Self {
            pan: sample("ABCPE1234F"),
            name: sample("Rahul Kumar Eswaran"),
            date_of_birth: sample("1988-04-12"),
            mobile: sample("9800000001"),
            consent: Consent::Y,
        }
    }
}

/// The report.
#[derive(Object, Debug)]
#[oai(rename_all = "camelCase")]
pub struct BureauCheckResponse {
    /// Stable for the same app, applicant and report date.
    pub request_id: String,
    /// 300–900, or -1 for "no credit history".
    pub score: i32,
    pub score_version: String,
    /// The report date (the app's sandbox clock, IST).
    pub report_date: NaiveDate,
    pub accounts: Vec<BureauAccount>,
    /// Enquiries of the last 6 months, newest first.
    pub enquiries: Vec<BureauEnquiry>,
}

impl Answered for BureauCheckResponse {
    const DESCRIPTION: &'static str = "The applicant's bureau report.";
}

pub fn answer(
    sandbox: &Sandbox,
    app: &App,
    request: BureauCheckRequest,
) -> Answer<BureauCheckResponse> {
    let holder = persons::profile(&sandbox.fixtures, &sandbox.determinism, &request.pan);
    let report_date = app.clock.today();
    let request_key = format!(
        "{}|{}|{}|{}|{}",
        app.id, request.pan, request.date_of_birth, request.mobile, report_date
    );
    let request_id = format!(
        "BC{}",
        sandbox
            .determinism
            .reference("bureau-check", &request_key, 14)
    );
    Answer(BureauCheckResponse {
        request_id,
        score: holder.cibil_score,
        score_version: codes::SCORE_VERSION.into(),
        report_date,
        accounts: holder
            .credit_accounts
            .into_iter()
            .map(|a| BureauAccount {
                account_type: a.account_type,
                lender: a.lender,
                sanctioned_amount: a.sanctioned_amount.into(),
                current_balance: a.current_balance.into(),
                overdue_amount: a.overdue_amount.into(),
                dpd: a.dpd,
                opened_on: a.opened_on,
            })
            .collect(),
        enquiries: holder
            .enquiries
            .into_iter()
            .map(|e| BureauEnquiry {
                date: report_date - Duration::days(i64::from(e.days_ago)),
                lender: e.lender,
                purpose: e.purpose,
                amount: e.amount.into(),
            })
            .collect(),
    })
}
