//! `POST /api/v1/auto-loan/sanction` [sandbank]: asks for sanction on the accepted terms. Answers the
//! sanction letter number and terms at once; the application is `SANCTION_PENDING` and becomes
//! `SANCTIONED` when the app's sandbox clock passes `sanctionDueAt` (1 hour later). Allowed in
//! `DOCUMENTS_RECEIVED`.

use crate::api::sample;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use poem_openapi::Object;
use serde::Deserialize;

use crate::sandbox::{
    bank::{
        answer::Answer,
        clock::ist,
        formats::{ApplicationNo, Money, Percent},
    },
    gateway::apps::App,
    Sandbox,
};

use super::{
    model::{sanction_delay, Outcome, Sanction, Stage, Step},
    state::{ist_date, AutoLoanBook},
};

#[derive(Object, Deserialize, Debug)]
#[oai(rename = "AutoLoanApplicationRequest")]
#[oai(example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct ApplicationRequest {
    pub application_no: ApplicationNo,
}

impl poem_openapi::types::Example for ApplicationRequest {
    fn example() -> Self {
        Self {
            application_no: sample("ALN8042395748"),
        }
    }
}

/// The sanctioned terms.
#[derive(Object, Debug)]
#[oai(rename = "AutoLoanSanctionTerms")]
#[oai(rename_all = "camelCase")]
pub struct SanctionTerms {
    pub loan_amount: Money,
    pub tenure_months: u32,
    pub roi: Percent,
    pub emi: Money,
    pub processing_fee: Money,
    /// Disburse by this date (30 days from the sanction).
    pub valid_until: NaiveDate,
}

#[derive(Object, Debug)]
#[oai(rename = "AutoLoanSanctionData")]
#[oai(rename_all = "camelCase")]
pub struct SanctionData {
    pub application_no: String,
    pub sanction_letter_no: String,
    pub state: Stage,
    /// When the sanction is granted (IST, by the app's sandbox clock).
    pub sanction_due_at: DateTime<FixedOffset>,
    pub terms: SanctionTerms,
}

enveloped_answer!(
    SanctionResponse,
    schema "AutoLoanSanctionResponse",
    Outcome,
    data SanctionData,
    "Pending sanction, or `AL201` / `AL202`."
);

pub fn answer(
    sandbox: &Sandbox,
    app: &std::sync::Arc<App>,
    request: ApplicationRequest,
) -> Answer<SanctionResponse> {
    let result = sandbox.family(app, AutoLoanBook::new, |book, ctx| {
        let application = book.application(&request.application_no)?;
        application.expect(Step::Sanction)?;
        let letter_no =
            sandbox
                .determinism
                .app_code("SL", "auto-loan-sanction", &app.id, &application.no, 10);
        let due_at = ctx.now + sanction_delay();
        let valid_until = ist_date(ctx.now) + Duration::days(30);
        let terms = application.terms.clone().expect("ELIGIBLE set the terms");
        application.sanction = Some(Sanction {
            letter_no: letter_no.clone(),
            asked_at: ctx.now,
            due_at,
            valid_until,
        });
        application.move_to(Stage::SanctionPending, ctx.now);
        let no = application.no.clone();
        book.schedule_sanction(&no, due_at);
        Ok((
            format!(
                "Sanction {letter_no} pending: granted at {}",
                due_at.with_timezone(&ist())
            ),
            SanctionData {
                application_no: no,
                sanction_letter_no: letter_no,
                state: Stage::SanctionPending,
                sanction_due_at: due_at.with_timezone(&ist()),
                terms: SanctionTerms {
                    loan_amount: terms.loan_amount.into(),
                    tenure_months: terms.tenure_months,
                    roi: terms.roi.into(),
                    emi: terms.emi.into(),
                    processing_fee: terms.processing_fee.into(),
                    valid_until,
                },
            },
        ))
    });
    Answer(SanctionResponse::of(result))
}
