//! `POST /api/v1/auto-loan/status` [sandbank]: where an application stands, by `applicationNo` or
//! `loanAccountNo`: its state, history and allowed next steps, the terms, and once disbursed the EMI
//! schedule summary, the full amortisation schedule and the dues on the app's sandbox-clock date
//! (`overdueAmount` and `dpd` count instalments whose due date has passed unpaid).

use crate::api::sample;
use chrono::{DateTime, FixedOffset, NaiveDate};
use poem_openapi::Object;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::sandbox::{
    bank::{
        answer::{Answer, Reply},
        clock::ist,
        formats::{AccountNo, ApplicationNo, Money, Percent},
    },
    gateway::{apps::App, error::Rejection},
    Sandbox,
};

use super::{
    model::{loan::Dues, Application, DocumentType, Loan, Outcome, Stage, VehicleType},
    state::{ist_date, AutoLoanBook},
};

#[derive(Object, Deserialize, Debug)]
#[oai(rename = "AutoLoanStatusRequest")]
#[oai(skip_serializing_if_is_none, example, rename_all = "camelCase")]
#[serde(rename_all = "camelCase")]
pub struct StatusRequest {
    /// Exactly one of `applicationNo` and `loanAccountNo`.
    pub application_no: Option<ApplicationNo>,
    pub loan_account_no: Option<AccountNo>,
}

/// Exactly one of the two, as [`answer`] checks.
pub fn schema_rule() -> crate::api::SchemaRule {
    use crate::api::SchemaRule;
    SchemaRule {
        schema: "AutoLoanStatusRequest",
        rule: serde_json::json!({
            "oneOf": [
                { "required": ["applicationNo"], "properties": { "applicationNo": { "type": "string" } } },
                SchemaRule::present::<AccountNo>("loanAccountNo"),
            ],
        }),
    }
}

impl poem_openapi::types::Example for StatusRequest {
    fn example() -> Self {
        Self {
            application_no: Some(sample("ALN8042395748")),
            loan_account_no: None,
        }
    }
}

#[derive(Object, Debug)]
#[oai(rename = "AutoLoanStateChange")]
#[oai(rename_all = "camelCase")]
pub struct StateChange {
    pub state: Stage,
    pub at: DateTime<FixedOffset>,
}

#[derive(Object, Debug)]
#[oai(rename = "AutoLoanDocumentSummary")]
#[oai(rename_all = "camelCase")]
pub struct DocumentSummary {
    pub document_id: String,
    pub document_type: DocumentType,
    pub file_name: String,
    pub sha256: String,
    pub received_at: DateTime<FixedOffset>,
}

/// The EMI schedule at a glance.
#[derive(Object, Debug)]
#[oai(rename = "AutoLoanEmiSchedule")]
#[oai(rename_all = "camelCase")]
pub struct EmiSchedule {
    pub emi: Money,
    pub tenure_months: u32,
    pub instalments_paid: u32,
    pub instalments_remaining: u32,
    pub first_due_date: NaiveDate,
    pub last_due_date: NaiveDate,
    pub total_interest: Money,
    pub total_payable: Money,
    pub amount_paid: Money,
    pub principal_outstanding: Money,
}

/// One instalment of the amortisation schedule.
#[derive(Object, Debug)]
#[oai(rename = "AutoLoanScheduleLine")]
#[oai(rename_all = "camelCase")]
pub struct ScheduleLine {
    pub instalment_no: u32,
    pub due_date: NaiveDate,
    /// The EMI (the last one clears the balance exactly).
    pub amount: Money,
    pub principal: Money,
    pub interest: Money,
    /// Principal outstanding after this instalment.
    pub closing_balance: Money,
    pub amount_paid: Money,
    /// `PAID`, `PARTLY_PAID`, `OVERDUE` (due date passed), `DUE` (due today) or `UPCOMING`.
    pub status: String,
}

#[derive(Object, Debug)]
#[oai(rename = "AutoLoanStatusData")]
#[oai(skip_serializing_if_is_none, rename_all = "camelCase")]
pub struct StatusData {
    pub application_no: String,
    pub loan_account_no: Option<String>,
    pub state: Stage,
    /// The operations the application accepts now.
    pub allowed_next_steps: Vec<String>,
    pub history: Vec<StateChange>,
    pub pan: String,
    pub vehicle_type: VehicleType,
    pub on_road_price: Money,
    pub dealer_code: String,
    pub offer_amount: Money,
    pub max_tenure_months: u32,
    pub roi: Percent,
    pub reasons: Vec<String>,
    pub loan_amount: Option<Money>,
    pub tenure_months: Option<u32>,
    pub emi: Option<Money>,
    pub processing_fee: Option<Money>,
    pub documents: Vec<DocumentSummary>,
    pub pending_documents: Vec<String>,
    pub sanction_letter_no: Option<String>,
    pub sanction_due_at: Option<DateTime<FixedOffset>>,
    pub disbursed_amount: Option<Money>,
    #[oai(rename = "UTR")]
    pub utr: Option<String>,
    pub disbursed_at: Option<DateTime<FixedOffset>>,
    pub emi_schedule: Option<EmiSchedule>,
    /// The full amortisation schedule (empty before disbursement).
    pub amortisation_schedule: Vec<ScheduleLine>,
    /// Unpaid instalments whose due date has passed.
    pub overdue_amount: Money,
    /// Days past due of the oldest unpaid instalment (0 when none is overdue).
    pub dpd: u32,
    pub next_due_date: Option<NaiveDate>,
    /// What `repayment` with `FORECLOSURE` would take today.
    pub foreclosure_amount: Option<Money>,
}

enveloped_answer!(
    StatusResponse,
    schema "AutoLoanStatusResponse",
    Outcome,
    data StatusData,
    "The application, or `AL201`."
);

pub fn answer(
    sandbox: &Sandbox,
    app: &std::sync::Arc<App>,
    request: StatusRequest,
) -> Reply<StatusResponse> {
    let result = sandbox.family(app, AutoLoanBook::new, |book, ctx| {
        let application = match (&request.application_no, &request.loan_account_no) {
            (Some(no), None) => book.application(no)?,
            (None, Some(account)) => book.by_loan_account(account.as_str())?,
            _ => return Ok(None),
        };
        let today = ist_date(ctx.now);
        Ok(Some((
            format!(
                "Application {} is {}",
                application.no,
                application.stage.name()
            ),
            describe(application, today),
        )))
    });
    let result = match result {
        Ok(None) => {
            return Err(Rejection::schema(
                "",
                "send exactly one of `applicationNo` and `loanAccountNo`",
            ))
        }
        Ok(Some(found)) => Ok(found),
        Err(decline) => Err(decline),
    };
    Ok(Answer(StatusResponse::of(result)))
}

fn describe(application: &Application, today: NaiveDate) -> StatusData {
    let at = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&ist());
    let terms = application.terms.as_ref();
    let loan = application.loan.as_ref();
    let dues = loan.map(|l| l.dues(today)).unwrap_or_default();
    let emi_schedule = loan.map(|l| emi_schedule(l, &dues));
    let amortisation_schedule = loan
        .map(|l| amortisation_schedule(l, today))
        .unwrap_or_default();
    let active_loan = loan.filter(|_| application.stage != Stage::Closed);
    StatusData {
        application_no: application.no.clone(),
        loan_account_no: loan.map(|l| l.account_no.clone()),
        state: application.stage,
        allowed_next_steps: application
            .stage
            .allowed()
            .iter()
            .map(|s| s.name().to_string())
            .collect(),
        history: application
            .history
            .iter()
            .map(|(state, t)| StateChange {
                state: *state,
                at: at(*t),
            })
            .collect(),
        pan: application.pan.to_string(),
        vehicle_type: application.vehicle_type,
        on_road_price: application.on_road_price.into(),
        dealer_code: application.dealer_code.clone(),
        offer_amount: application.offer_amount.into(),
        max_tenure_months: application.max_tenure_months,
        roi: application.roi.into(),
        reasons: application.reasons.clone(),
        loan_amount: terms.map(|t| t.loan_amount.into()),
        tenure_months: terms.map(|t| t.tenure_months),
        emi: terms.map(|t| t.emi.into()),
        processing_fee: terms.map(|t| t.processing_fee.into()),
        documents: application
            .documents
            .iter()
            .map(|d| DocumentSummary {
                document_id: d.id.clone(),
                document_type: d.document_type,
                file_name: d.file_name.clone(),
                sha256: d.sha256.clone(),
                received_at: at(d.received_at),
            })
            .collect(),
        pending_documents: if application.terms.is_some() {
            application.pending_documents()
        } else {
            Vec::new()
        },
        sanction_letter_no: application.sanction.as_ref().map(|s| s.letter_no.clone()),
        sanction_due_at: application.sanction.as_ref().map(|s| at(s.due_at)),
        disbursed_amount: loan.map(|l| l.amount.into()),
        utr: loan.map(|l| l.utr.clone()),
        disbursed_at: loan.map(|l| at(l.disbursed_at)),
        emi_schedule,
        amortisation_schedule,
        overdue_amount: dues.overdue_amount.into(),
        dpd: dues.dpd,
        next_due_date: dues.next_due_date,
        foreclosure_amount: active_loan.map(|_| dues.foreclosure_amount.into()),
    }
}

/// The loan's EMI plan and how far it has got.
fn emi_schedule(l: &Loan, dues: &Dues) -> EmiSchedule {
    let total_interest: Decimal = l.schedule.iter().map(|s| s.interest).sum();
    EmiSchedule {
        emi: l.schedule[0].amount.into(),
        tenure_months: l.schedule.len() as u32,
        instalments_paid: dues.instalments_paid,
        instalments_remaining: l.schedule.len() as u32 - dues.instalments_paid,
        first_due_date: l.schedule[0].due_date,
        last_due_date: l.schedule[l.schedule.len() - 1].due_date,
        total_interest: total_interest.into(),
        total_payable: (l.amount + total_interest).into(),
        amount_paid: dues.amount_paid.into(),
        principal_outstanding: dues.principal_outstanding.into(),
    }
}

/// Each instalment of the loan, with what was paid and where it stands on `today`.
fn amortisation_schedule(l: &Loan, today: NaiveDate) -> Vec<ScheduleLine> {
    l.schedule
        .iter()
        .zip(&l.paid)
        .map(|(line, paid)| ScheduleLine {
            instalment_no: line.number,
            due_date: line.due_date,
            amount: line.amount.into(),
            principal: line.principal.into(),
            interest: line.interest.into(),
            closing_balance: line.closing_balance.into(),
            amount_paid: (*paid).into(),
            status: if *paid >= line.amount {
                "PAID"
            } else if line.due_date < today {
                "OVERDUE"
            } else if *paid > Decimal::ZERO {
                "PARTLY_PAID"
            } else if line.due_date == today {
                "DUE"
            } else {
                "UPCOMING"
            }
            .to_string(),
        })
        .collect()
}
