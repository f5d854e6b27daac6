//! `POST /api/v1/bureau-check` [sandbank]: a CIBIL report — score, accounts and recent enquiries.

use chrono::{Duration, NaiveDate};
use poem_openapi::Object;
use serde::Deserialize;

use crate::sandbox::{
    answer::{Answer, Answered},
    formats::{HolderName, Mobile, Money, Pan},
    persons,
    state::App,
    Sandbox,
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
    pub mobile: Mobile,
    pub consent: Consent,
}

/// Bureau consent: the only accepted value is `Y`.
#[derive(poem_openapi::Enum, Deserialize, Debug, Clone, Copy)]
pub enum Consent {
    Y,
}

impl poem_openapi::types::Example for BureauCheckRequest {
    fn example() -> Self {
        Self {
            pan: Pan::parse("ABCPE1234F").expect("valid example PAN"),
            name: HolderName::parse("Rahul Kumar Eswaran").expect("valid example name"),
            date_of_birth: NaiveDate::from_ymd_opt(1988, 4, 12).expect("valid date"),
            mobile: Mobile::parse("9800000001").expect("valid example mobile"),
            consent: Consent::Y,
        }
    }
}

/// A loan or card on the report.
#[derive(Object, Debug)]
#[oai(rename_all = "camelCase")]
pub struct BureauAccount {
    /// `AUTO_LOAN`, `HOME_LOAN`, `PERSONAL_LOAN`, `CREDIT_CARD`, `GOLD_LOAN`, `CONSUMER_DURABLE`,
    /// `TWO_WHEELER_LOAN`.
    #[oai(rename = "type")]
    pub account_type: String,
    pub lender: String,
    pub sanctioned_amount: Money,
    pub current_balance: Money,
    pub overdue_amount: Money,
    /// Days past due (0 = current).
    pub dpd: u32,
    pub opened_on: NaiveDate,
}

/// A credit enquiry by a lender.
#[derive(Object, Debug)]
#[oai(rename_all = "camelCase")]
pub struct BureauEnquiry {
    pub date: NaiveDate,
    pub lender: String,
    pub purpose: String,
    pub amount: Money,
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
        score_version: "CIBILTUSC3".into(),
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
